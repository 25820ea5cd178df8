"""Django REST framework views, read without importing them: which routes serve one, and what
keeps a route `partial`.

A DRF view is served by running DRF itself on the route's Django request
(`codemods/runtime/django/drf.py`): `APIView.as_view()` (and `@api_view`'s function, which is
one) is DRF's own `dispatch`, so its authentication and permission classes answer their 401/403
with DRF's `WWW-Authenticate` rules, its serializers validate with DRF's messages, its pagination
and filter backends page and filter as DRF does, its content negotiation and renderers write the
same bytes, and a method it has no handler for is DRF's JSON 405. The route takes every method
(DRF picks, as Django's resolver lets it) and no `CsrfProtected`: DRF's `as_view()` is
`csrf_exempt`, and `SessionAuthentication` checks CSRF itself, for logged-in sessions only.

Such a route is `converted` on the terms a function view running unchanged on the Django request
is: verified (it answers as the legacy side does), with no query of its own on Django's ORM and
no call of another module's querying code (dj-rest-auth's MFA views calling `totp.py`).
A view whose class (or a base of SRC) reaches the ORM (`queryset = Post.objects...`, a model of
a `models` module, `get_user_model()`, `request.user.<relation>`) is `partial`, with the reason,
as a function view on the ORM is.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from codemods.django.analysis import ClassInfo, DjangoAnalysis, ModulePath, _imports
from codemods.django.orm_use import _direct, model_names

DRF_PACKAGE = "rest_framework"
ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# DRF's views and the handlers each one defines (rest_framework.views, .generics, .viewsets);
# the route takes every method, DRF answers 405 for the others.
DRF_HANDLERS: dict[str, tuple[str, ...]] = {
    "APIView": ("options",),
    "GenericAPIView": ("options",),
    "CreateAPIView": ("post", "options"),
    "ListAPIView": ("get", "options"),
    "RetrieveAPIView": ("get", "options"),
    "DestroyAPIView": ("delete", "options"),
    "UpdateAPIView": ("put", "patch", "options"),
    "ListCreateAPIView": ("get", "post", "options"),
    "RetrieveUpdateAPIView": ("get", "put", "patch", "options"),
    "RetrieveDestroyAPIView": ("get", "delete", "options"),
    "RetrieveUpdateDestroyAPIView": ("get", "put", "patch", "delete", "options"),
}
HANDLERS = ("get", "post", "put", "patch", "delete", "head", "options")
# rest_framework.decorators that set an @api_view function's policies
POLICY_DECORATORS = frozenset(
    {
        "renderer_classes", "parser_classes", "authentication_classes", "throttle_classes",
        "permission_classes", "content_negotiation_class", "metadata_class",
        "versioning_class", "schema",
    }
)  # fmt: skip
ORM_REASON = (
    "Django REST framework view {name} runs unchanged on the Django runtime (DRF's dispatch, "
    "serializers, permissions): its queries stay on Django's ORM"
)


def drf_base(bases: tuple[str, ...] | list[str]) -> str | None:
    """The first base of a class-based view that is Django REST framework's (dotted)."""
    return next((b for b in bases if b == DRF_PACKAGE or b.startswith(DRF_PACKAGE + ".")), None)


def drf_decorator(decorators: tuple[str, ...] | list[str]) -> str | None:
    """`@api_view(...)` among a function view's decorators, as written."""
    return next(
        (d for d in decorators if d.split("(", 1)[0].rsplit(".", 1)[-1] == "api_view"), None
    )


def drf_policy_decorator(decorator: str) -> bool:
    """`@permission_classes([...])` and DRF's other policy decorators: they set the function's
    attributes for `@api_view`, which DRF's dispatch reads (nothing for the route to check)."""
    return decorator.split("(", 1)[0].rsplit(".", 1)[-1] in POLICY_DECORATORS


def api_view_methods(decorator: str) -> tuple[str, ...]:
    """The methods `@api_view([...])` lists (none: GET, as DRF's default), upper case."""
    try:
        call = ast.parse(decorator, mode="eval").body
    except SyntaxError:
        return ("GET",)
    if not isinstance(call, ast.Call):
        return ("GET",)
    node = call.args[0] if call.args else None
    node = node or next((k.value for k in call.keywords if k.arg == "http_method_names"), None)
    if isinstance(node, ast.List | ast.Tuple):
        found = [
            e.value.upper()
            for e in node.elts
            if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
        return tuple(found) or ("GET",)
    return ("GET",)


def api_view_handlers(decorator: str) -> tuple[str, ...]:
    """What an `@api_view` function answers without DRF's 405: its methods, HEAD with GET
    (Django's `View.setup`), OPTIONS (APIView's), upper case in HANDLERS' order."""
    listed = {m.lower() for m in api_view_methods(decorator)} | {"options"}
    if "get" in listed:
        listed.add("head")
    return tuple(m.upper() for m in HANDLERS if m in listed)


def viewset_actions_handlers(view_code: str) -> tuple[str, ...] | None:
    """The methods of `ViewSet.as_view({"get": "list", ...})` (with OPTIONS, and HEAD with GET);
    None when the code does not bind actions."""
    try:
        call = ast.parse(view_code, mode="eval").body
    except SyntaxError:
        return None
    if not (isinstance(call, ast.Call) and call.args and isinstance(call.args[0], ast.Dict)):
        return None
    listed = {k.value for k in call.args[0].keys if isinstance(k, ast.Constant)} | {"options"}
    if "get" in listed:
        listed.add("head")
    return tuple(m.upper() for m in HANDLERS if m in listed)


@dataclass
class DrfViewPlan:
    """What a route serving a DRF view needs: the handlers it has (reported), and why its
    route is `partial` (empty: nothing keeps it off `converted`)."""

    handlers: tuple[str, ...] = ()  # upper case, in HANDLERS' order
    orm_reasons: list[str] = field(default_factory=list)
    reaching: tuple[str, ...] = ()  # the classes (it, its bases of SRC) reaching the ORM
    outside: tuple[str, ...] = ()  # other modules' querying code its methods call, why


def plan_drf_class(analysis: DjangoAnalysis, module: ModulePath | None, name: str) -> DrfViewPlan:
    """The handlers of DRF class `name` of `module` and its bases, and its use of the ORM."""
    handlers: set[str] = set()
    reaching: dict[str, tuple[str, ...]] = {}  # class -> what in it reaches the ORM
    outside: list[str] = []  # other modules' querying code its methods call

    def walk(key: tuple[ModulePath, str], seen: tuple[tuple[ModulePath, str], ...]) -> None:
        info: ClassInfo | None = analysis.classes.get(key)
        if info is None or key in seen:
            return
        handlers.update(m for m in info.methods if m in HANDLERS)
        if analysis.root is not None and _class_reaches_orm(analysis.root, *key):
            reaching.setdefault(key[1], info.orm_uses)
        outside.extend(f"{key[1]}: {reason}" for reason in info.outside_queries)
        for base in info.bases:
            if base.module is not None:
                walk((base.module, base.name), (*seen, key))
            else:
                handlers.update(DRF_HANDLERS.get(base.name.rsplit(".", 1)[-1], ()))

    if module is not None:
        walk((module, name), ())
    if "get" in handlers:
        handlers.add("head")
    result = DrfViewPlan(tuple(m.upper() for m in HANDLERS if m in handlers))
    if reaching:
        result.orm_reasons.append(ORM_REASON.format(name=name) + f" ({_uses(reaching)})")
        result.reaching = tuple(reaching)
    result.outside = tuple(f"stays on Django's ORM: {reason}" for reason in outside)
    result.orm_reasons += result.outside  # as a function view calling them
    return result


def _uses(reaching: dict[str, tuple[str, ...]]) -> str:
    """`LoginView reaches it by get_token_model; Base by Post.objects`: each class and what
    in its body is a manager, a name of a models module, get_user_model() or a relation of
    request.user (class_orm.py)."""
    return "; ".join(
        f"{owner} reaches it by {', '.join(uses)}"
        if uses
        else f"in {owner}: a manager, a model, get_user_model() or a relation of request.user"
        for owner, uses in reaching.items()
    )


def function_orm_reason(name: str) -> str:
    return ORM_REASON.format(name=name)


def _class_reaches_orm(root: Path, module: ModulePath, name: str) -> bool:
    path = root.joinpath(*module)
    try:
        tree = _tree(path, path.stat().st_mtime_ns)
    except OSError:
        return False
    if tree is None:
        return False
    node = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name), None)
    return node is not None and _direct(node, model_names(_imports(module, tree)))


@cache
def _tree(path: Path, mtime: int) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return None
