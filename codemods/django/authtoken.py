"""The logged-in user's Django REST framework token deleted on the route's session:

    request.user.auth_token.delete()
->  delete(session, user_token(session, request.user))

as dj-rest-auth's `LogoutView.logout` does. The runtime's `user_token` (codemods/runtime/django/
authtoken.py) reads `rest_framework.authtoken`'s Token row on `authtoken_token` and raises what
Django's reverse one-to-one accessor raises (AttributeError for an anonymous user,
`RelatedObjectDoesNotExist` for none), so the view's `except (AttributeError,
ObjectDoesNotExist)` still catches them. Only where `auth_token` is authtoken's: a models module
of SRC imports `rest_framework.authtoken` (as dj-rest-auth's `TOKEN_MODEL` default does) and
none gives a relation that name."""

from __future__ import annotations

import ast
from collections.abc import Iterable

import libcst as cst

from codemods.django.querysets import INSTANCES, SESSION, Translation, is_user

AUTHTOKEN = "rest_framework.authtoken"
RUNTIME = "codemods.runtime.django.authtoken"
ACCESSOR = "auth_token"


def authtoken_accessor(models_sources: Iterable[str]) -> bool:
    """`user.auth_token` is authtoken's Token: a models module imports `rest_framework.authtoken`
    and none names a relation `auth_token`."""
    imported = False
    for source in models_sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [alias.name for alias in node.names]
                imported = imported or any(name.startswith(AUTHTOKEN) for name in names)
            elif (
                isinstance(node, ast.keyword)
                and node.arg == "related_name"
                and isinstance(node.value, ast.Constant)
                and node.value.value == ACCESSOR
            ):
                return False
    return imported


def token_delete(node: cst.Call) -> Translation | None:
    """`<the user>.auth_token.delete()` on the session, else None."""
    func = node.func
    if node.args or not (isinstance(func, cst.Attribute) and func.attr.value == "delete"):
        return None
    token = func.value
    if not (isinstance(token, cst.Attribute) and token.attr.value == ACCESSOR):
        return None
    if not is_user(token.value):
        return None
    user = cst.Module(body=[]).code_for_node(token.value)
    code = f"delete({SESSION}, user_token({SESSION}, {user}))"
    return Translation(code, {(INSTANCES, "delete"), (RUNTIME, "user_token")})
