"""HTML normalisation: two pages that render the same compare equal.

Whitespace between and inside text is collapsed, attributes are sorted, comments dropped, and
the page becomes one line per element or text, so a difference points at a readable line.
"""

from __future__ import annotations

from html.parser import HTMLParser

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _Normaliser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.depth = 0
        self._raw_text: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        rendered = "".join(
            f' {name}="{" ".join((value or "").split())}"' if value is not None else f" {name}"
            for name, value in sorted(attrs)
        )
        self.lines.append("  " * self.depth + f"<{tag}{rendered}>")
        if tag not in _VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.depth = max(0, self.depth - 1)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.depth = max(0, self.depth - 1)
        self.lines.append("  " * self.depth + f"</{tag}>")

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self.lines.append("  " * self.depth + text)

    def handle_decl(self, decl: str) -> None:
        self.lines.append(f"<!{' '.join(decl.split()).lower()}>")


def normalise_html(text: str) -> list[str]:
    parser = _Normaliser()
    parser.feed(text)
    parser.close()
    return parser.lines
