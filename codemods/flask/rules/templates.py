"""What a converted `render_template` leaves out, template by template: the legacy template
(with the templates it extends, includes and imports) is read, and every name it uses that
neither the view passes nor `flask_templates` provides is reported, with the names whose value
depends on the Flask session (`current_user`, flashed messages, `csrf_token()`). Names a
blueprint context processor of the package gives are provided (the processors are ported)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import libcst as cst

from codemods.engine.findings import Finding, Status
from codemods.engine.nodes import dotted_name, positional, string_value
from codemods.engine.rule import Rule
from codemods.flask.analysis import session_plugged_in
from codemods.flask.context_processors import processor_names
from codemods.flask.tables.responses import TEMPLATE_NOTE

PROVIDED = {
    "request",
    "url_for",
    "get_flashed_messages",
    "csrf_token",
    "current_user",
    "config",
    "g",
    "session",
}
# Flashed messages and CSRF tokens live in the app's own session cookie (session_hook); only
# flask-login's user needs the generated login bridge.
SESSION_NAMES = {
    "current_user": "template {t} reads current_user: anonymous until the session bridge"
    " (set_user_loader)",
}


class TemplatesRule(Rule):
    name = "templates"
    DESCRIPTION = "Report what each rendered legacy template needs that the view does not give."
    triggers = ("render_template",)
    needs_handlers = True
    requires = ("routes",)
    gated = (cst.ClassDef, cst.SimpleStatementLine, cst.Call)
    gate_names = ("TemplateResponse",)

    @property
    def source_file(self) -> Path:
        return Path(self.context.filename or "module.py").resolve()

    @property
    def root(self) -> Path:
        """The legacy package's folder."""
        parts = self.state.module_path or ("module.py",)
        return self.source_file.parents[max(len(parts) - 1, 0)]

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return bool(self._functions)

    def visit_Call(self, node: cst.Call) -> None:
        handler = self.current_function
        if handler not in self.handlers or dotted_name(node.func) != "templates.TemplateResponse":
            return
        name_arg, context_arg = positional(node, 1), positional(node, 2)
        template = string_value(name_arg.value) if name_arg else None
        if template is None:
            return
        passed = _keys(context_arg.value if context_arg else None)
        import jinja2  # here, not with the rules: most modules render no template

        try:
            used = self.names_used(template)
        except jinja2.TemplateError as error:
            self.findings.note(handler, f"template {template}: not checked ({error})")
            return
        session_names = set() if session_plugged_in(self.state) else set(SESSION_NAMES)
        reasons = [SESSION_NAMES[n].format(t=template) for n in sorted(used & session_names)]
        root = self.root
        processors = self.state.once((processor_names, root), lambda: processor_names(root))
        if passed is not None and not processors.complete:
            processed = processors.for_module(self.source_file)
            missing = used - passed - PROVIDED - processed
            reasons += [
                f"template {template} reads {n}: not passed by the view (an app context"
                " processor? pass it to flask_templates(context_processors=...))"
                for n in sorted(missing)
            ]
        for finding in self.findings.find(handler):
            _replace_generic_note(finding, reasons)

    def names_used(self, template: str, seen: set[str] | None = None) -> set[str]:
        """Undeclared names of a template and of those it extends, includes or imports."""
        seen = set() if seen is None else seen
        if template in seen:
            return set()
        seen.add(template)
        folder = str(self.root / "templates")
        path = Path(folder, template)
        stamp = path.stat().st_mtime_ns if path.is_file() else 0
        names, referenced = template_names(folder, template, stamp)
        used = set(names)
        for other in referenced:
            used |= self.names_used(other, seen)
        return used


@functools.lru_cache(maxsize=1024)
def template_names(
    folder: str, template: str, stamp: int
) -> tuple[frozenset[str], tuple[str, ...]]:
    """The undeclared names of one template of `folder` and the templates it references, parsed
    once per run (views of several modules render the same templates; `stamp` is the file's
    modification time, so an edited template is read again)."""
    import jinja2
    from jinja2 import meta, nodes

    # with the i18n extension, so that `{% trans %}` parses (flask-babel's templates)
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), extensions=["jinja2.ext.i18n"]
    )
    # The app's own filters and tests (`@app.template_filter`) are not known here: parsing
    # checks their names only.
    environment.filters = _AnyName(environment.filters)
    environment.tests = _AnyName(environment.tests)
    source, _, _ = environment.loader.get_source(environment, template)  # type: ignore[union-attr]
    tree = environment.parse(source)
    imported = {
        alias if isinstance(alias, str) else alias[1]
        for node in tree.find_all(nodes.FromImport)
        for alias in node.names
    } | {node.target for node in tree.find_all(nodes.Import)}
    used = set(meta.find_undeclared_variables(tree)) - imported - _jinja_globals()
    referenced = tuple(t for t in meta.find_referenced_templates(tree) if t is not None)
    return frozenset(used), referenced


@functools.cache
def _jinja_globals() -> frozenset[str]:
    import jinja2

    return frozenset(jinja2.Environment().globals)


class _AnyName(dict[str, Any]):
    """A filter or test table in which every name is known."""

    def __contains__(self, key: object) -> bool:
        return True

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key) or _unknown


def _unknown(*args: Any, **kwargs: Any) -> None:
    return None


def _keys(node: cst.BaseExpression | None) -> set[str] | None:
    """The context's keys, or None when they are not all literal."""
    if not isinstance(node, cst.Dict):
        return None
    keys: set[str] = set()
    for element in node.elements:
        key = string_value(element.key) if isinstance(element, cst.DictElement) else None
        if key is None:
            return None
        keys.add(key)
    return keys


def _replace_generic_note(finding: Finding, reasons: list[str]) -> None:
    """The template's own reasons stand for the generic render_template note."""
    if TEMPLATE_NOTE in finding.reasons:
        finding.reasons.remove(TEMPLATE_NOTE)
        if not finding.reasons and not reasons:
            finding.status = Status.converted
    for reason in reasons:
        finding.note(reason)
