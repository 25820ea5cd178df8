"""The installed libraries a legacy package imports at module level, which the warm server
(warm.py) imports once, before it forks, instead of every run's child importing them again:
flask-monitoringdashboard's child spent 0.8 of its 1.7 s of CPU importing `scipy.stats` and
`numpy`.

The codemod's process reads them before the conversion starts, with a pattern rather than a
parse: `import a.b, c as d` and `from a.b import x, y` (parenthesized too, or `*`) at the
start of a line. `from a import x` also names `a.x`, which the server imports only when it is
a module. Relative imports, the legacy package's own name and the standard library are left
out. The server keeps only what is installed (found under a `site-packages` or `dist-packages`
folder), so a module of the app's own tree, which the child imports from the sandbox, never
is.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from collections.abc import Iterable
from pathlib import Path

IMPORT = re.compile(r"^import[ \t]+([\w. \t,]+)", re.M)
FROM = re.compile(r"^from[ \t]+(\w[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|\*|[\w \t,]+)", re.M)
INSTALLED = ("site-packages", "dist-packages")


def imported_libraries(files: Iterable[Path], package: str) -> list[str]:
    """The modules `files` import at the start of a line, outside `package` and the standard
    library, in a stable order: each module before the names imported from it."""
    own = package.partition(".")[0]
    found: dict[str, None] = {}
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for match in IMPORT.finditer(text):
            for alias in match.group(1).split(","):
                name = alias.split()[0] if alias.split() else ""
                found[name] = None
        for match in FROM.finditer(text):
            module = match.group(1)
            found[module] = None
            for alias in match.group(2).strip("()").split(","):
                words = alias.split()
                if words and words[0].isidentifier():
                    found[f"{module}.{words[0]}"] = None
    return [
        name
        for name in sorted(found, key=lambda n: (n.count("."), n))
        if name and _outside(name, own)
    ]


def _outside(name: str, own: str) -> bool:
    top = name.partition(".")[0]
    return (
        top.isidentifier()
        and top not in (own, "__future__")
        and (top not in sys.stdlib_module_names)
    )


def installed(top: str) -> bool:
    """`top` is a module or package found under a site-packages or dist-packages folder."""
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    places = list(spec.submodule_search_locations or []) or [spec.origin or ""]
    return all(any(part in INSTALLED for part in Path(place).parts) for place in places)


def import_installed(names: Iterable[str], refused: set[str]) -> list[str]:
    """Import each of `names` that is installed, not imported yet and not `refused`; a name
    that fails to import is skipped (the child meets the same error when the app imports it).
    Returns the names imported."""
    imported = []
    for name in names:
        if name in sys.modules or name in refused:
            continue
        try:
            if not installed(name.partition(".")[0]):
                continue
            if "." in name and importlib.util.find_spec(name) is None:
                continue  # `from a import x`: x is not a module (finding it imports `a`)
            importlib.import_module(name)
        except (Exception, SystemExit):
            continue
        imported.append(name)
    return imported
