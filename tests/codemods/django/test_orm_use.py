"""Which function views reach Django's ORM: a model, a manager, the 404 shortcuts, a related
manager of the user, directly or through a function of the module they call."""

from __future__ import annotations

import ast
from textwrap import dedent

from codemods.django.orm_use import orm_views

IMPORTS = {
    "Post": "blog.models.Post",
    "JsonResponse": "django.http.JsonResponse",
    "get_object_or_404": "django.shortcuts.get_object_or_404",
}


def reaching(code: str) -> set[str]:
    return orm_views(ast.parse(dedent(code)), IMPORTS)


def test_models_managers_and_shortcuts_reach_the_orm() -> None:
    assert reaching(
        """
        def listed(request):
            return JsonResponse({"n": Post.objects.count()})

        def one(request, pk):
            return JsonResponse({"t": get_object_or_404(Post, pk=pk).title})

        def manager_of_anything(request):
            return thing.objects.all()

        def plain(request):
            return JsonResponse({"ok": True})
        """
    ) == {"listed", "one", "manager_of_anything"}


def test_the_users_own_fields_are_not_queries_but_its_related_managers_are() -> None:
    assert reaching(
        """
        def whoami(request):
            user = request.user
            return JsonResponse({"name": user.username, "in": request.user.is_authenticated})

        def mine(request):
            return JsonResponse({"n": request.user.posts.count()})
        """
    ) == {"mine"}


def test_a_view_calling_a_helper_that_queries_reaches_the_orm() -> None:
    assert reaching(
        """
        def total():
            return Post.objects.count()

        def summary():
            return {"total": total()}

        def view(request):
            return JsonResponse(summary())
        """
    ) == {"total", "summary", "view"}


def test_an_empty_queryset_is_not_a_query_but_the_same_manager_otherwise_is() -> None:
    assert reaching(
        """
        def nothing(request):
            return JsonResponse({"n": len(Post.objects.none())})

        def users_nothing(request):
            return get_user_model().objects.none()

        def something(request):
            return JsonResponse({"n": len(Post.objects.none()) + Post.objects.count()})
        """
    ) == {"something"}
