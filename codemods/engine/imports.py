"""Apply the imports the rules asked for (`add_import`/`remove_import`, context.py) in one cheap
pass over the module's top-level statements.

libcst's AddImportsVisitor/RemoveImportsVisitor walk the whole tree (and the latter computes scope
metadata) each time; with many rules per module that dominated the run time. Order and grouping
are left to ruff's isort, which formats every generated module.
"""

from __future__ import annotations

import functools
import keyword
import re
from collections import Counter

import libcst as cst

from codemods.engine.context import ModuleContext, take_import_requests
from codemods.engine.edit import without_imported_names
from codemods.engine.import_clash import LegacyNames, alias_for, rename_new_uses
from codemods.engine.nodes import name_code

# A comment, or a string literal with its prefix: triple-quoted first, then one-line strings
# with their escapes.
_COMMENT_OR_STRING = re.compile(
    r"(?P<prefix>\b[rRbBuUfF]{1,2})?"
    r'(?P<string>"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r"|#[^\n]*"
)
# What a string annotation (`"Session"`, `"list[models.Tag] | None"`) may hold.
_ANNOTATION_LIKE = re.compile(r"\s*[\w.]*(?:\s*[\[\],|]\s*[\w.]*)*\s*")


def _code_words_only(code: str) -> str:
    """`code` without what uses no name: comments (a `#` inside a string starts none, as in
    `"&#34;{name}"`), and the text of plain strings (docstrings, messages) unless it may be a
    string annotation; an f-string is kept whole, for the names in its fields."""
    if "#" not in code and "'" not in code and '"' not in code:
        return code

    def kept(match: re.Match[str]) -> str:
        string = match.group("string")
        if string is None:
            return ""  # a comment
        prefix = match.group("prefix") or ""
        if "f" in prefix.lower():
            return match.group()
        quote = 3 if string[:3] in ('"""', "'''") else 1
        if _ANNOTATION_LIKE.fullmatch(string[quote:-quote]):
            return match.group()
        return prefix + '""'

    return _COMMENT_OR_STRING.sub(kept, code)


_WORD = re.compile(r"(?<![\w.])\w+")  # a name not reached through an attribute


def _module_name(node: cst.ImportFrom) -> str:
    dots = "." * len(node.relative)
    name = name_code(node.module) if node.module else ""
    return dots + name


def _plain_import(statement: cst.BaseStatement) -> str | None:
    """`os` for a statement `import os`."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Import) and len(small.names) == 1 and small.names[0].asname is None:
        name = small.names[0].name
        return name.value if isinstance(name, cst.Name) else None
    return None


def _is_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and isinstance(
        statement.body[0], cst.Import | cst.ImportFrom
    )


def imported_names(module: cst.Module) -> set[tuple[str, str, str | None]]:
    found: set[tuple[str, str, str | None]] = set()
    for statement in module.body:
        if not _is_import(statement):
            continue
        assert isinstance(statement, cst.SimpleStatementLine)
        small = statement.body[0]
        if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
            for alias in small.names:
                asname = alias.asname.name if alias.asname else None
                found.add(
                    (
                        _module_name(small),
                        name_code(alias.name),
                        asname.value if isinstance(asname, cst.Name) else None,
                    )
                )
    return found


def import_from(module: str, names: list[tuple[str, str | None]]) -> cst.BaseStatement:
    """`from module import a, b as c`, built rather than parsed (parsing costs more)."""
    dots = len(module) - len(module.lstrip("."))
    parts = module[dots:].split(".") if module[dots:] else []
    words = [*parts, *(n for n, _ in names), *(a for _, a in names if a)]
    plain = all(w.isidentifier() and not keyword.iskeyword(w) for w in words)
    if not plain or not (parts or dots):
        text = ", ".join(n + (f" as {a}" if a else "") for n, a in names)
        return cst.parse_statement(f"from {module} import {text}")
    dotted: cst.Name | cst.Attribute | None = None
    for part in parts:
        dotted = cst.Name(part) if dotted is None else cst.Attribute(dotted, cst.Name(part))
    aliases = [
        cst.ImportAlias(cst.Name(n), asname=cst.AsName(cst.Name(a)) if a else None)
        for n, a in names
    ]
    return cst.SimpleStatementLine([cst.ImportFrom(dotted, aliases, relative=[cst.Dot()] * dots)])


def apply_imports(
    tree: cst.Module,
    context: ModuleContext,
    original: cst.Module | None = None,
    source: str | None = None,
) -> tuple[cst.Module, str]:
    """The module with the imports asked for added and the unused ones removed, and its code.

    Given the legacy module (`original`, `source`), an added import that would hide a name the
    legacy code binds is aliased (see import_clash.py)."""
    additions, removals = take_import_requests(context)
    if tree is original and source is not None and not additions and not removals:
        return tree, source  # no rule changed it: its code is its text (libcst round-trips)
    removed = {(module, obj) for module, obj, _ in removals}
    body: list[cst.BaseStatement] = list(tree.body)
    present = imported_names(tree)
    wanted: dict[str, list[tuple[str, str | None]]] = {}
    legacy = LegacyNames(source) if source is not None else None
    before = tree  # for `still_used_before`: the names the code used before any import was added

    @functools.cache
    def still_used_before() -> Counter[str]:
        """Per name, its uses in the code beyond its imports (an import asked to go whose name
        is still used stays, and still hides an added one: `from wtforms import Form` for
        `class RestoreForm(Form)` against FastAPI's `Form`)."""
        imports = "\n".join(before.code_for_node(s) for s in before.body if _is_import(s))
        counts = Counter(_WORD.findall(_code_words_only(before.code)))
        counts.subtract(Counter(_WORD.findall(_code_words_only(imports))))
        return counts

    for item in additions:
        if item.obj_name is None:
            continue
        module = "." * item.relative + item.module_name
        alias = item.alias
        if (module, item.obj_name, alias) in present:
            continue
        if alias is None and original is not None and legacy is not None:
            # (the code is rendered for `still_used_before` only when a name is in question)
            hidden = any(
                where != module
                and (asname or name) == item.obj_name
                and ((where, name) not in removed or still_used_before()[asname or name] > 0)
                for where, name, asname in present
            )
            if hidden or legacy.binds(item.obj_name):
                alias = alias_for(module, item.obj_name)
                tree = rename_new_uses(tree, original, item.obj_name, alias)
                body = list(tree.body)
        key = (module, item.obj_name, alias)
        if key in present:
            continue
        present.add(key)
        wanted.setdefault(module, []).append((item.obj_name, alias))
    base = body
    if wanted:
        body = with_imports(base, wanted)
        tree = tree.with_changes(body=body)
    rendered: Rendered = {}
    code = render(tree, rendered)
    if not removals and not wanted:
        return tree, code
    # A name is still used when it appears more often in the code than in the imports.
    imports_code = "\n".join(_rendered(s, rendered) for s in body if _is_import(s))
    # Commented-out code (TODO(strangler) blocks) and prose do not use anything, and the comments
    # above an import (its leading lines) do not import anything either.
    imports_code = _code_words_only(imports_code)
    live_code = _code_words_only(code)
    live_words = Counter(_WORD.findall(live_code))
    import_words = Counter(_WORD.findall(imports_code))
    # An import a rule asked for whose use a later rule commented out is not added.
    kept = {
        module: [(name, alias) for name, alias in names if live_words[alias or name] > 1]
        for module, names in wanted.items()
    }
    if kept != wanted:
        body = with_imports(base, {module: names for module, names in kept.items() if names})
        tree = tree.with_changes(body=body)
        code = render(tree, rendered)
        imports_code = "\n".join(_rendered(s, rendered) for s in body if _is_import(s))
        imports_code = _code_words_only(imports_code)
        live_code = _code_words_only(code)
        live_words = Counter(_WORD.findall(live_code))
        import_words = Counter(_WORD.findall(imports_code))
    if not removals:
        return tree, code

    def still_used(name: str) -> bool:
        if name.isidentifier():
            return live_words[name] > import_words[name]
        word = re.compile(rf"(?<![\w.]){re.escape(name)}\b")
        return len(word.findall(live_code)) > len(word.findall(imports_code))

    by_module: dict[str, set[str]] = {}
    unused_modules: set[str] = set()
    for module, obj, asname in removals:
        if obj is None and asname is None and "." not in module:
            if not still_used(module):
                unused_modules.add(module)
            continue
        if obj is None or asname is not None:
            continue
        if not still_used(obj):
            by_module.setdefault(module, set()).add(obj)
    if not by_module and not unused_modules:
        return tree, code
    body = [s for s in body if _plain_import(s) not in unused_modules]
    for module, names in by_module.items():
        body = without_imported_names(body, module, names)
    tree = tree.with_changes(body=body)
    return tree, render(tree, rendered)


Rendered = dict[int, tuple[cst.CSTNode, str]]


def with_imports(
    body: list[cst.BaseStatement], wanted: dict[str, list[tuple[str, str | None]]]
) -> list[cst.BaseStatement]:
    """`body` with `from module import names` lines after its leading imports."""
    if not wanted:
        return body
    lines = [import_from(module, names) for module, names in wanted.items()]
    at = _after_leading_imports(body)
    return [*body[:at], *lines, *body[at:]]


def render(module: cst.Module, rendered: Rendered) -> str:
    """`module.code`, rendering only the top-level statements not in `rendered` (by identity)."""
    if not module.has_trailing_newline or not module.body:
        return module.code
    parts = []
    for statement in (*module.header, *module.body, *module.footer):
        known = rendered.get(id(statement))
        if known is None or known[0] is not statement:
            known = rendered[id(statement)] = (statement, module.code_for_node(statement))
        parts.append(known[1])
    return "".join(parts)


def _rendered(statement: cst.BaseStatement, rendered: Rendered) -> str:
    known = rendered.get(id(statement))
    if known is not None and known[0] is statement:
        return known[1]
    return cst.Module(body=[]).code_for_node(statement)


def _after_leading_imports(body: list[cst.BaseStatement]) -> int:
    """Where added imports go: after the docstring and the imports at the top of the module,
    before any code (imports further down, after code, may come too late)."""
    at = _after_docstring(body)
    while at < len(body) and _is_import(body[at]):
        at += 1
    return at


def _after_docstring(body: list[cst.BaseStatement]) -> int:
    if body and isinstance(body[0], cst.SimpleStatementLine):
        small = body[0].body[0]
        if isinstance(small, cst.Expr) and isinstance(
            small.value, cst.SimpleString | cst.ConcatenatedString
        ):
            return 1
    return 0
