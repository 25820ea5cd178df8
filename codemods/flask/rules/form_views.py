"""Flask-WTF forms in views -> an `HtmlForm` dependency: the Pydantic model (from the forms rule)
validates the posted form, the legacy WTForms class renders it, and the view's Flask-WTF code
(`validate_on_submit()`, `form.x.data`, `form.x.errors`, `form.errors`) keeps working.

`CheckoutForm()` in a view becomes a `checkout_form` parameter,
`Annotated[HtmlForm[CheckoutForm], Depends(html_form(CheckoutForm))]`. In a module that uses
Flask-WTF forms, handlers for unsafe methods get `Depends(csrf_protect)` (Flask-WTF's
`CSRFProtect` checks every such request before the view runs).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import libcst as cst

from codemods.engine.context import ModuleContext
from codemods.engine.edit import add_keyword_params, expr, kwarg
from codemods.engine.findings import Status
from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule
from codemods.flask.analysis import analysis_of, legacy_plain_forms, session_plugged_in

FORMS_RUNTIME = "codemods.runtime.flask.html_forms"
CSRF_RUNTIME = "codemods.runtime.flask.csrf"
FORM_BASES = {"FlaskForm", "Form", "flask_wtf.FlaskForm", "wtforms.Form"}
UNSAFE_VERBS = {"post", "put", "patch", "delete"}
FORM_NOTE = (
    "form {form}: validated by its Pydantic model with WTForms' messages (a required field is"
    " read as DataRequired; a field's first failing check stops its other checks, where WTForms"
    " may list several messages); rendered by the legacy WTForms class"
)
CSRF_NOTE = (
    "CSRF: Flask-WTF's token lives in the Flask session: pages carry an empty token and"
    " unsafe requests answer 400 until the session bridge is plugged in (use_flask_session)"
    " and set_csrf(SECRET_KEY) is called"
)


POSTED_FORM = ("request.form", "flask.request.form", "request_form")


def _posted_form_only(call: cst.Call) -> bool:
    """`Form(request.form)` / `Form(formdata=request.form)`: the posted form, as a FlaskForm
    reads it by itself (the request-data rule may have made it `request_form()`)."""
    if len(call.args) != 1:
        return False
    arg = call.args[0]
    if arg.keyword is not None and arg.keyword.value != "formdata":
        return False
    value = arg.value
    if isinstance(value, cst.Call) and not value.args:
        value = value.func
    return dotted_name(value) in POSTED_FORM


def is_forms_module(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return last == "forms" or last.endswith("_forms")


def is_class_name(name: str) -> bool:
    return name[:1].isupper() and not name.isupper()


def parameter_name(form: str) -> str:
    """`CheckoutForm` -> `checkout_form`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", form).lower()


class FormViewsRule(Rule):
    name = "form-views"
    DESCRIPTION = "Flask-WTF forms in views -> an HtmlForm dependency (Pydantic validates)."
    triggers = ("Form",)
    needs_handlers = True
    requires = ("routes",)
    gated = (cst.ClassDef, cst.SimpleStatementLine, cst.Call)
    gate_names = tuple(base.split(".")[-1] for base in FORM_BASES)  # and the form classes found

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.form_classes: set[str] = set()
        self.used: dict[str, list[str]] = {}  # handler -> form classes, in order of use
        self.plain: set[str] = set()  # the module's plain WTForms forms (plain_forms.py)

    # -- which names are forms -----------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        self.plain = legacy_plain_forms(self.state, node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = dotted_name(node.module) if node.module else ""
        if isinstance(node.names, cst.ImportStar) or not module or not is_forms_module(module):
            return
        for alias in node.names:
            local = alias.asname.name if alias.asname else alias.name
            if isinstance(local, cst.Name) and local.value in self.plain_imported(alias):
                continue  # a plain WTForms form: its calls run as they are
            if isinstance(local, cst.Name) and is_class_name(local.value):
                self.form_classes.add(local.value)
                self.open_gate(local.value)

    def plain_imported(self, alias: cst.ImportAlias) -> set[str]:
        """The local name of an imported plain WTForms form, if it is one."""
        imported = dotted_name(alias.name) or ""
        if imported not in analysis_of(self.state).plain_forms:
            return set()
        local = alias.asname.name if alias.asname else alias.name
        return {local.value} if isinstance(local, cst.Name) else set()

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        if node.name.value in self.plain:
            return False
        if any(
            dotted_name(b.value) in FORM_BASES or dotted_name(b.value) in self.form_classes
            for b in node.bases
        ):
            self.form_classes.add(node.name.value)
            self.open_gate(node.name.value)
        return False

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return bool(self._functions) or isinstance(node.body[0], cst.ImportFrom)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node.name.value in self.handlers or any(
            isinstance(s, cst.FunctionDef) for s in getattr(node.body, "body", [])
        )

    # -- views ---------------------------------------------------------------------------------
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        form = dotted_name(original_node.func)
        handler = self.current_function
        if form not in self.form_classes or handler not in self.handlers:
            return updated_node
        if original_node.args and not _posted_form_only(updated_node):
            self.todo(
                f"{form}(...) with arguments: HtmlForm takes the posted data only; set the"
                " fields' data by hand",
                Status.manual,
            )
            return updated_node
        used = self.used.setdefault(handler, [])
        if form not in used:
            used.append(form)
        return cst.Name(parameter_name(form))

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        name = original_node.name.value
        if name not in self.handlers or not self.form_classes:
            return updated_node
        forms = self.used.get(name, [])
        for form in forms:
            self.findings.note(name, FORM_NOTE.format(form=form))
        # without CSRFProtect, only a FlaskForm checks a token (when it validates)
        protected = analysis_of(self.state).csrf_protected is not False
        result = self.with_csrf_check(name, updated_node) if protected else updated_node
        if (result is not updated_node or forms) and not session_plugged_in(self.state):
            self.findings.note(name, CSRF_NOTE)
        if not forms:
            return result
        self.use("fastapi", "Depends")
        self.use("typing", "Annotated")
        self.use(FORMS_RUNTIME, "HtmlForm")
        self.use(FORMS_RUNTIME, "html_form")
        return add_keyword_params(
            result,
            [
                (
                    parameter_name(form),
                    f"Annotated[HtmlForm[{form}], Depends(html_form({form}))]",
                    None,
                )
                for form in forms
            ],
        )

    def with_csrf_check(self, name: str, function: cst.FunctionDef) -> cst.FunctionDef:
        """`Depends(csrf_protect)` first in the route dependencies of unsafe methods."""
        checked, changed = with_csrf_dependency(function, self.handlers[name], self.todo)
        if changed:
            self.use("fastapi", "Depends")
            self.use(CSRF_RUNTIME, "csrf_protect")
        return checked


def with_csrf_dependency(
    function: cst.FunctionDef, router: str, todo: Callable[[str], None]
) -> tuple[cst.FunctionDef, bool]:
    """`function` with `Depends(csrf_protect)` first in the dependencies of its route
    decorators of unsafe methods on `router`, and whether it changed."""
    decorators: list[cst.Decorator] = []
    for decorator in function.decorators:
        call = decorator.decorator
        if (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and dotted_name(call.func.value) == router
            and call.func.attr.value in UNSAFE_VERBS
        ):
            decorator = decorator.with_changes(decorator=_protected(call, todo))
        decorators.append(decorator)
    if decorators == list(function.decorators):
        return function, False
    return function.with_changes(decorators=decorators), True


def _protected(call: cst.Call, todo: Callable[[str], None]) -> cst.Call:
    check = cst.Element(expr("Depends(csrf_protect)"))
    args = list(call.args)
    for index, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == "dependencies":
            if isinstance(arg.value, cst.List):
                if any(_is_csrf_check(e.value) for e in arg.value.elements):
                    return call
                value = arg.value.with_changes(elements=[check, *arg.value.elements])
                args[index] = arg.with_changes(value=value)
                return call.with_changes(args=args)
            todo("route dependencies are not a list: add Depends(csrf_protect)")
            return call
    return call.with_changes(args=[*args, kwarg("dependencies", cst.List([check]))])


def _is_csrf_check(value: cst.BaseExpression) -> bool:
    """`Depends(csrf_protect)`."""
    return (
        isinstance(value, cst.Call)
        and dotted_name(value.func) == "Depends"
        and len(value.args) == 1
        and dotted_name(value.args[0].value) == "csrf_protect"
    )
