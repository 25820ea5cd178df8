"""Django's own class-based views whose code reads no model: a function view calling one
through a module-level binding (spirit's `_logout_view = django_views.LogoutView.as_view()`,
then `return _logout_view(request)`) reaches no ORM by that call. Logging out flushes the
session through Django's session engine, the runtime's own, as `logout(request)` in a function
view does."""

from __future__ import annotations

import ast

# Django's generic views (django.views.generic, django.contrib.auth.views) reading no model
MODEL_FREE_VIEWS = frozenset(
    {"View", "TemplateView", "RedirectView", "PasswordResetDoneView",
     "PasswordResetCompleteView", "LogoutView"}
)  # fmt: skip


def model_free_class_views(tree: ast.Module, names: dict[str, str]) -> set[str]:
    """The module-level names bound to `X.as_view(...)` of one of `MODEL_FREE_VIEWS` of Django
    (`names`: the module's imports, local name -> dotted name)."""
    found: set[str] = set()
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        call = node.value
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "as_view"
        ):
            continue
        head, _, rest = ast.unparse(call.func.value).partition(".")
        module, _, name = (names.get(head, head) + (f".{rest}" if rest else "")).rpartition(".")
        if module.split(".")[0] == "django" and name in MODEL_FREE_VIEWS:
            found |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return found
