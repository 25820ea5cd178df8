"""The generated `login_bridge.py`: the legacy app's cookie settings and its flask-login user
loader, converted to take the request's SQLAlchemy session, on the runtime's session bridge
(`codemods/runtime/flask/login_bridge.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from textwrap import dedent

import libcst as cst

from codemods.engine.nodes import dotted_name
from codemods.engine.walk import in_order
from codemods.flask.login_setup import LoginSetup, UserLoader, relative_import

MODULE = "login_bridge"
BRIDGE = "codemods.runtime.flask.login_bridge"
QUERY_TERMINALS = {"first", "one", "one_or_none", "all"}
FLASK_ONLY = {"current_app", "g", "request", "session"}


@dataclass(frozen=True)
class Bridge:
    """The generated module's code, or why there is none."""

    code: str | None
    reasons: tuple[str, ...]  # why routes using it are not `converted`
    manual: bool


class _Loader(cst.CSTTransformer):
    """`db.session.x` -> `session.x`, `M.query.get(i)` -> `session.get(M, i)`,
    `M.query.filter_by(...).first()` -> `session.scalars(select(M).filter_by(...)).first()`."""

    def __init__(self) -> None:
        self.uses_select = False

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if original_node.attr.value == "session" and isinstance(original_node.value, cst.Name):
            return cst.Name("session")
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = updated_node.func
        if not isinstance(func, cst.Attribute):
            return updated_node
        receiver = func.value
        if (
            func.attr.value == "get"
            and isinstance(receiver, cst.Attribute)
            and receiver.attr.value == "query"
        ):
            args = [cst.Arg(receiver.value), *updated_node.args]
            return cst.parse_expression("session.get()").with_changes(args=_commas(args))
        if func.attr.value in QUERY_TERMINALS and isinstance(receiver, cst.Call):
            chain = receiver.func
            if (
                isinstance(chain, cst.Attribute)
                and isinstance(chain.value, cst.Attribute)
                and chain.value.attr.value == "query"
            ):
                self.uses_select = True
                model = cst.Call(cst.Name("select"), [cst.Arg(chain.value.value)])
                statement = receiver.with_changes(func=chain.with_changes(value=model))
                scalars = cst.Call(cst.parse_expression("session.scalars"), [cst.Arg(statement)])
                return updated_node.with_changes(func=func.with_changes(value=scalars))
        return updated_node


def _commas(args: list[cst.Arg]) -> list[cst.Arg]:
    return [
        a.with_changes(
            comma=cst.MaybeSentinel.DEFAULT
            if i == len(args) - 1
            else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
        for i, a in enumerate(args)
    ]


def convert_loader(loader: UserLoader) -> tuple[str, bool] | str:
    """The loader taking `(user_id, session)`, and whether it uses `select`; or why not."""
    if loader.local_names:
        names = ", ".join(sorted(loader.local_names))
        return f"login: the user loader ({loader.where}) uses {names} from its own module"
    tree = cst.parse_module(dedent(loader.code))
    function = tree.body[0]
    if not isinstance(function, cst.FunctionDef) or len(function.params.params) != 1:
        return f"login: the user loader ({loader.where}) is not `def loader(user_id)`"
    converter = _Loader()
    visited = function.visit(converter)
    assert isinstance(visited, cst.FunctionDef)
    function = visited
    body = cst.Module(body=[function]).code
    left = [n for n in FLASK_ONLY if n in loader.imports and _uses(function, n)]
    if ".query" in body or left:
        what = ", ".join(sorted(left)) or "Model.query"
        return f"login: the user loader ({loader.where}) uses {what}, which is not converted"
    (user_id,) = function.params.params
    params = [
        user_id.with_changes(
            annotation=user_id.annotation or cst.Annotation(cst.Name("Any")),
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
        ),
        cst.Param(cst.Name("session"), cst.Annotation(cst.Name("Session"))),
    ]
    decorators = [
        d
        for d in function.decorators
        if (dotted_name(d.decorator) or "").split(".")[-1] != "user_loader"
    ]
    function = function.with_changes(
        decorators=[cst.Decorator(cst.parse_expression("login_manager.user_loader")), *decorators],
        params=function.params.with_changes(params=params),
        returns=function.returns or cst.Annotation(cst.Name("Any")),
        leading_lines=[],
    )
    return cst.Module(body=[function]).code, converter.uses_select


def _names_used(code: str) -> set[str]:
    """The names a function uses, its decorators aside."""
    function = cst.parse_module(code).body[0]
    assert isinstance(function, cst.FunctionDef)
    bare = function.with_changes(decorators=[])

    class Finder(cst.CSTVisitor):
        def __init__(self) -> None:
            self.names: set[str] = set()

        def visit_Name(self, n: cst.Name) -> None:
            self.names.add(n.value)

    finder = Finder()
    in_order(bare, finder)
    return finder.names


def _uses(node: cst.CSTNode, name: str) -> bool:
    class Finder(cst.CSTVisitor):
        found = False

        def visit_Name(self, n: cst.Name) -> None:
            if n.value == name:
                self.found = True

    finder = Finder()
    in_order(node, finder)
    return finder.found


def render(setup: LoginSetup) -> Bridge:
    """The generated module for a legacy package, or the reason it cannot be generated."""
    if setup.loader is None:
        return Bridge(None, ("login: no @login_manager.user_loader in the legacy package",), True)
    converted = convert_loader(setup.loader)
    if isinstance(converted, str):
        return Bridge(None, (converted,), True)
    loader_code, uses_select = converted
    reasons = setup.reasons()
    secret = setup.settings.get("SECRET_KEY")
    if secret is None and "SECRET_KEY" not in setup.unresolved:
        reasons.append(f"login: no SECRET_KEY found in the legacy package: set it in {MODULE}.py")
    manual = bool(reasons)
    for key in sorted(setup.duplicates):
        used = setup.settings[key].where
        reasons.append(f"login: {key} is set in several places; {MODULE}.py uses {used}")
    imports = {
        "from collections.abc import Callable",
        "from datetime import timedelta",
        "from typing import Annotated, Any",
        "from fastapi import Depends, Request",
        "from sqlalchemy.orm import Session",
        f"from {BRIDGE} import LoginManager",
        "from codemods.runtime.flask.csrf import set_csrf",
        "from codemods.runtime.flask.compat import set_user_loader",
        "from codemods.runtime.flask.context import current_session",
        "from codemods.runtime.flask.session_hook import use_flask_session",
        "from .database import get_session",
    }
    if uses_select:
        imports.add("from sqlalchemy import select")
    for setting in setup.settings.values():
        imports.update(setting.imports)
    loader_names = _names_used(loader_code)
    for name, statement in setup.loader.imports.items():
        if name in loader_names:
            imports.add(relative_import(statement, setup.loader.module))
    settings = "".join(
        f'        "{key}": {setting.code},  # {setting.where}\n'
        for key, setting in setup.settings.items()
    )
    if secret is None:
        settings += '        "SECRET_KEY": None,  # TODO(strangler): the legacy SECRET_KEY\n'
    options = "".join(f", {k}={v}" for k, v in sorted(setup.manager.items()))
    code = (
        f'"""flask-login for the migrated views: the legacy app\'s signed session cookie and its\n'
        f'user loader ({setup.loader.where}), on the request\'s SQLAlchemy session."""\n\n'
        + "\n".join(sorted(imports))
        + "\n\n\ndef config() -> dict[str, Any]:\n"
        '    """The legacy app\'s settings for its session and remember-me cookies."""\n'
        "    return {\n"
        f"{settings}"
        "    }\n\n\n"
        f"login_manager = LoginManager(config{options})\n\n\n"
        f"{loader_code}\n\n"
        "def current_user(request: Request, session: Annotated[Session, Depends(get_session)]) "
        "-> Any:\n"
        '    """flask-login\'s `current_user` for this request (anonymous when logged out)."""\n'
        "    return login_manager.current_user(request, session)\n\n\n"
        "def login_required(login_view: str | None = None) -> Callable[..., Any]:\n"
        '    """flask-login\'s `login_required` as a route dependency: the user, or a 302 to the\n'
        '    login view with `next=`, or 401 without one."""\n'
        "    return login_manager.login_required(current_user, login_view)\n\n\n"
        "def login_user(\n"
        "    request: Request,\n"
        "    user: Any,\n"
        "    remember: bool = False,\n"
        "    duration: timedelta | None = None,\n"
        "    force: bool = False,\n"
        "    fresh: bool = True,\n"
        ") -> bool:\n"
        '    """flask-login\'s `login_user`: the route class writes the cookies on the answer."""\n'
        "    return login_manager.log_in(\n"
        "        request, user, remember=remember, duration=duration, force=force, fresh=fresh\n"
        "    )\n\n\n"
        "def logout_user(request: Request) -> bool:\n"
        '    """flask-login\'s `logout_user`: the route class clears the cookies."""\n'
        "    return login_manager.log_out(request)\n\n\n"
        "def template_user(request: Request) -> Any:\n"
        '    """`current_user` in the legacy templates: this bridge\'s user of the request."""\n'
        "    return login_manager.current_user(request, current_session())\n\n\n"
        "def plug_in() -> None:\n"
        '    """The runtime\'s Flask session (flash, CSRF token), Flask-WTF\'s CSRF check and the\n'
        '    templates\' `current_user` on this bridge."""\n'
        "    settings = config()\n"
        "    use_flask_session(login_manager.session)\n"
        "    set_csrf(\n"
        '        settings.get("WTF_CSRF_SECRET_KEY") or settings["SECRET_KEY"],\n'
        '        settings.get("WTF_CSRF_TIME_LIMIT", 3600),\n'
        "    )\n"
        "    set_user_loader(template_user)\n\n\n"
        "plug_in()\n"
    )
    return Bridge(code, tuple(reasons), manual)
