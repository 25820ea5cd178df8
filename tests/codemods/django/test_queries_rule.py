"""The queries rule: a view whose querysets all convert runs them as `select()` on the generated
models with the runtime's session; a view with any other ORM use is left as written."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.plans import plan
from codemods.django.rules.queries import DjangoQueriesRule
from tests.codemods.django.support import convert_module, project_analysis, write_project

URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("tags/<slug:slug>/", views.tag),
        path("drafts/", views.drafts),
        path("counts/", views.counts),
    ]
"""
MODELS = """
    from django.conf import settings
    from django.db import models


    class Tag(models.Model):
        slug = models.SlugField(unique=True)


    class Post(models.Model):
        author = models.ForeignKey(
            settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
        )
        title = models.CharField(max_length=200)
        tags = models.ManyToManyField(Tag, related_name="posts")
"""


def project(tmp_path: Path, views: str) -> Path:
    files = {
        "__init__.py": "",
        "blog/__init__.py": "",
        "blog/urls.py": URLS,
        "blog/models.py": MODELS,
        "blog/views.py": views,
    }
    return write_project(tmp_path / "site", files)


def convert_views(root: Path) -> str:
    code, _ = convert_module(root, "blog/views.py", [DjangoQueriesRule])
    return code


def reasons(root: Path, view: str) -> tuple[str, list[str]]:
    analysis = project_analysis(root)
    found = next(p for p in analysis.patterns if p.view.name == view)
    result = plan(analysis, found)
    return str(result.status), result.reasons


ALL_CONVERT = """
    from django.http import JsonResponse
    from django.shortcuts import get_object_or_404

    from .models import Post, Tag


    def tag(request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        return JsonResponse({"slug": tag.slug})


    def drafts(request):
        posts = Post.objects.filter(author=request.user).order_by("-id")[:10]
        return JsonResponse({"titles": [post.title for post in posts]})


    def counts(request):
        return JsonResponse({"tags": Tag.objects.count()})
"""


def test_a_view_whose_queries_all_convert_runs_them_on_the_session(tmp_path: Path) -> None:
    code = convert_views(project(tmp_path, ALL_CONVERT))

    assert code == dedent(
        """
        from django.http import JsonResponse
        from codemods.runtime.django.views import django_view
        from codemods.runtime.django.request import DjangoRequest
        from . import models as tables
        from codemods.runtime.django.queries import get_or_404, pk_of
        from sqlalchemy import select, func
        from fastapi import Depends
        from sqlalchemy.orm import Session
        from codemods.runtime.django.database import get_session


        @django_view
        def tag(request: DjangoRequest, slug: str, session: Session = Depends(get_session)):
            tag = get_or_404(session, select(tables.Tag).where(tables.Tag.slug == slug))
            return JsonResponse({"slug": tag.slug})


        @django_view
        def drafts(request: DjangoRequest, session: Session = Depends(get_session)):
            posts = session.scalars(select(tables.Post).where(tables.Post.author_id == pk_of(request.user)).order_by(tables.Post.id.desc()).limit(10)).all()
            return JsonResponse({"titles": [post.title for post in posts]})


        @django_view
        def counts(request: DjangoRequest, session: Session = Depends(get_session)):
            return JsonResponse({"tags": session.scalar(select(func.count()).select_from(select(tables.Tag).subquery()))})
        """  # noqa: E501
    )


def test_such_a_view_no_longer_reaches_the_orm(tmp_path: Path) -> None:
    status, why = reasons(project(tmp_path, ALL_CONVERT), "drafts")

    assert (status, why) == ("converted", [])


ONE_STAYS = """
    from django.db.models import Sum
    from django.http import JsonResponse

    from .models import Post, Tag


    def tag(request, slug):
        tags = Tag.objects.annotate(n=Sum("posts"))
        return JsonResponse({"n": [t.n for t in tags]})


    def drafts(request):
        posts = Post.objects.filter(author=request.user)
        return JsonResponse({"titles": titles(posts)})


    def titles(posts):
        return [post.title for post in posts.all()]


    def counts(request):
        if not Tag.objects.count():
            raise Post.DoesNotExist("no tag")
        return JsonResponse({"tags": Tag.objects.count()})
"""


def test_a_view_with_a_query_outside_the_mapping_is_left_as_written(tmp_path: Path) -> None:
    code = convert_views(project(tmp_path, ONE_STAYS))

    assert 'Tag.objects.annotate(n=Sum("posts"))' in code
    assert "Post.objects.filter(author=request.user)" in code
    assert "Tag.objects.count()" in code
    assert "session" not in code


def test_the_route_says_what_keeps_it_on_the_orm(tmp_path: Path) -> None:
    root = project(tmp_path, ONE_STAYS)

    assert reasons(root, "tag")[1][1:] == [
        "stays on Django's ORM: annotate: Sum() is not in the query mapping"
    ]
    assert reasons(root, "drafts")[1][1:] == [
        "stays on Django's ORM: calls titles(), which stays on Django's ORM",
        "stays on Django's ORM: titles: titles: posts.all(): a Django queryset, related manager "
        "or model method",
    ]
    assert reasons(root, "counts")[1][1:] == [
        "stays on Django's ORM: counts: Post.DoesNotExist: Django's exception"
    ]


def test_an_orm_expression_in_a_lookup_keeps_the_view_on_the_orm(tmp_path: Path) -> None:
    views = ALL_CONVERT.replace(
        "Post.objects.filter(author=request.user)", 'Post.objects.filter(title=F("slug"))'
    ).replace(
        "from .models import Post, Tag",
        "from django.db.models import F\n\n    from .models import Post, Tag",
    )
    root = project(tmp_path, views)

    assert reasons(root, "drafts")[1][1:] == [
        "stays on Django's ORM: F(...) in a query: an ORM expression"
    ]


def test_the_users_related_manager_converts_too(tmp_path: Path) -> None:
    views = ALL_CONVERT.replace("Tag.objects.count()", "request.user.posts.count()")
    code = convert_views(project(tmp_path, views))

    assert (
        "select(tables.Post).where(tables.Post.author_id == pk_of(request.user)).subquery()" in code
    )


def test_a_view_naming_a_model_only_for_its_constants_needs_no_orm(tmp_path: Path) -> None:
    views = ALL_CONVERT.replace("Tag.objects.count()})", "Post.Status.DRAFT})")
    root = project(tmp_path, views)

    assert reasons(root, "counts") == ("converted", [])
    assert "def counts(request: DjangoRequest):" in convert_views(root)


HELPERS = """
    from django.core.paginator import Paginator
    from django.http import JsonResponse

    from .models import Post


    def summary(post):
        return {"title": post.title, "tags": [tag.slug for tag in post.tags.all()]}


    def tag(request, slug):
        posts = Post.objects.filter(tags__slug=slug)
        if request.GET.get("mine"):
            posts = posts.filter(author=request.user)
        page = Paginator(posts, 10).page(1)
        return JsonResponse({"n": len(posts), "results": [summary(p) for p in page.object_list]})


    def drafts(request):
        post = Post.objects.get(pk=1)
        post.title = "x"
        post.save()
        return JsonResponse(summary(post))


    def counts(request):
        return JsonResponse({"n": Post.objects.count()})
"""


def test_a_queryset_variable_holds_the_statement_its_uses_run(tmp_path: Path) -> None:
    code = convert_views(project(tmp_path, HELPERS))

    assert "posts = ordered(select(tables.Post).where(related(tables.Post.tags, slug=slug)))" in (
        " ".join(code.split())
    )
    assert "posts = posts.where(tables.Post.author_id == pk_of(request.user))" in code
    assert "Paginator(selected(session, posts), 10)" in code
    assert "len(session.scalars(posts).all())" in code


def test_a_helper_that_queries_is_translated_and_given_the_views_session(tmp_path: Path) -> None:
    code = convert_views(project(tmp_path, HELPERS))

    assert "def summary(post, *, session: Session):" in code
    assert "summary(p, session=session) for p in page.object_list" in code
    assert "JsonResponse(summary(post, session=session))" in code


def test_an_instances_save_is_written_by_the_session(tmp_path: Path) -> None:
    code = convert_views(project(tmp_path, HELPERS))

    assert "save(session, post)" in code


SHARED_HELPER = HELPERS.replace(
    "def counts(request):",
    "class Feed:\n        def items(self, post):\n            return summary(post)\n\n\n"
    "    def counts(request):",
)


def test_a_helper_another_caller_uses_unconverted_is_kept_for_it_beside_its_twin(
    tmp_path: Path,
) -> None:
    root = project(tmp_path, SHARED_HELPER)
    code = convert_views(root)

    assert reasons(root, "drafts") == ("converted", [])
    assert "def summary(post):" in code
    assert "def summary_with_session(post, *, session: Session):" in code
    assert "return summary(post)" in code  # Feed's call, as written
    assert "JsonResponse(summary_with_session(post, session=session))" in code


def test_querysets_combined_with_and_stay_on_the_orm(tmp_path: Path) -> None:
    views = ALL_CONVERT.replace(
        "Post.objects.filter(author=request.user)",
        'Post.objects.filter(author=request.user) & Post.objects.filter(title="x")',
    ).replace('.order_by("-id")[:10]', "")
    root = project(tmp_path, views)

    status, why = reasons(root, "drafts")
    assert status == "partial"
    assert any("querysets combined with | or &" in reason for reason in why)
    assert "Post.objects.filter(author=request.user) &" in convert_views(root)


def test_querysets_of_one_model_combined_with_or_are_one_statement(tmp_path: Path) -> None:
    views = ALL_CONVERT.replace(
        "Post.objects.filter(author=request.user)",
        'Post.objects.filter(author=request.user) | Post.objects.filter(title="x")',
    ).replace('.order_by("-id")[:10]', "")
    root = project(tmp_path, views)

    assert reasons(root, "drafts") == ("converted", [])
    assert (
        "posts = session.scalars(ordered(select(tables.Post).where(or_(tables.Post.author_id == "
        'pk_of(request.user), tables.Post.title == "x")))).all()'
    ) in convert_views(root)


def test_a_get_whose_missing_row_the_view_catches_converts(tmp_path: Path) -> None:
    views = ALL_CONVERT.replace(
        'return JsonResponse({"tags": Tag.objects.count()})',
        """try:
            first = Post.objects.get(pk=1)
        except Post.DoesNotExist:
            first = None
        return JsonResponse({"first": first is None})""",
    )
    root = project(tmp_path, views)

    assert reasons(root, "counts") == ("converted", [])
    code = convert_views(root)
    assert "first = get_one(session, select(tables.Post).where(tables.Post.id == 1), Post)" in code
    assert "except Post.DoesNotExist:" in code


CUSTOM_METHODS_MANAGERS = """
    from django.db import models
    from django.db.models import Q


    class PostQuerySet(models.QuerySet):
        def titled(self):
            return self.exclude(title="")

        def by(self, user):
            return self.titled().filter(Q(author=user) | Q(title="welcome"))
"""
CUSTOM_METHODS_VIEWS = """
    from django.http import JsonResponse

    from .models import Post


    def drafts(request):
        return JsonResponse({"count": Post.objects.by(request.user).count()})
"""


def custom_methods_project(tmp_path: Path) -> Path:
    root = project(tmp_path, CUSTOM_METHODS_VIEWS)
    models = dedent(MODELS).replace(
        "from django.db import models\n",
        "from django.db import models\n\nfrom .managers import PostQuerySet\n",
    )
    models += "    objects = PostQuerySet.as_manager()\n"
    (root / "blog" / "models.py").write_text(models, encoding="utf-8")
    (root / "blog" / "managers.py").write_text(dedent(CUSTOM_METHODS_MANAGERS), encoding="utf-8")
    return root


def test_a_custom_queryset_method_is_run_as_the_chain_it_returns(tmp_path: Path) -> None:
    code = convert_views(custom_methods_project(tmp_path))

    assert (
        dedent(
            """
        @django_view
        def drafts(request: DjangoRequest, session: Session = Depends(get_session)):
            return JsonResponse({"count": session.scalar(select(func.count()).select_from(select(tables.Post).where(not_(and_(tables.Post.title == "")), or_(tables.Post.author_id == pk_of(request.user), tables.Post.title == "welcome")).subquery()))})
        """  # noqa: E501
        )
        in code
    )


def test_a_view_calling_a_custom_queryset_method_converts(tmp_path: Path) -> None:
    status, why = reasons(custom_methods_project(tmp_path), "drafts")

    assert (status, why) == ("converted", [])


PAGINATED = """
    from django.http import JsonResponse

    from .models import Post
    from .pages import paginate


    def drafts(request):
        posts = Post.objects.filter(author=request.user)
        posts = paginate(posts, 10)
        return JsonResponse({"posts": posts})
"""


def test_a_queryset_variable_reassigned_with_what_it_is_passed_to_holds_the_rows(
    tmp_path: Path,
) -> None:
    root = project(tmp_path, PAGINATED)

    code = convert_views(root)

    assert (
        "posts = session.scalars(ordered(select(tables.Post).where("
        "tables.Post.author_id == pk_of(request.user)))).all()\n    posts = paginate(posts, 10)"
    ) in code
    assert reasons(root, "drafts") == ("converted", [])


def test_a_queryset_variable_reassigned_and_read_otherwise_stays_on_the_orm(
    tmp_path: Path,
) -> None:
    views = PAGINATED.replace(
        "posts = paginate(posts, 10)",
        "first = posts.get(pk=1)\n        posts = paginate(posts, 10)",
    )

    status, why = reasons(project(tmp_path, views), "drafts")

    assert status == "partial"
    assert "stays on Django's ORM: posts: holds a queryset and something else" in why


VIEW_NAMED_DELETE = """
    from django.http import JsonResponse
    from django.shortcuts import get_object_or_404

    from .models import Tag


    def tag(request, slug):
        return JsonResponse({"slug": get_object_or_404(Tag, slug=slug).slug})


    def drafts(request):
        return delete(request, 1)


    def counts(request):
        return JsonResponse({"tags": Tag.objects.count()})


    def delete(request, pk):
        tag = get_object_or_404(Tag, pk=pk)
        tag.delete()
        return JsonResponse({"deleted": tag.slug})
"""


def test_a_runtime_function_a_view_shadows_is_called_through_its_module(tmp_path: Path) -> None:
    root = project(tmp_path, VIEW_NAMED_DELETE)
    code = convert_views(root)

    assert "from codemods.runtime.django import instances" in code
    assert "    instances.delete(session, tag)\n" in code
    assert reasons(root, "drafts") == ("converted", [])


SHARED_BY_A_VIEW_ON_THE_ORM = """
    from django.http import JsonResponse
    from django.shortcuts import get_object_or_404

    from .models import Post, Tag


    def _shown(request, pk, items):
        tag = get_object_or_404(Tag, pk=pk)
        return JsonResponse({"tag": tag.slug, "items": [i.title for i in items]})


    def tag(request, slug):
        posts = Post.objects.filter(tags__slug=slug)
        return _shown(request, 1, posts)


    def drafts(request):
        posts = Post.objects.filter(author=request.user).values("title")
        return _shown(request, 1, posts)


    def counts(request):
        return JsonResponse({"n": Post.objects.count()})
"""


def test_a_helper_a_view_on_the_orm_shares_gets_a_translated_twin(tmp_path: Path) -> None:
    code = convert_views(project(tmp_path, SHARED_BY_A_VIEW_ON_THE_ORM))

    assert "def _shown(request, pk, items):\n    tag = get_object_or_404(Tag, pk=pk)" in code
    assert (
        "def _shown_with_session(request, pk, items, *, session: Session):\n"
        "    tag = get_or_404(session, select(tables.Tag).where(tables.Tag.id == pk))"
    ) in code
    assert "return _shown_with_session(request, 1, posts, session=session)" in code
    assert "return _shown(request, 1, posts)" in code


def test_the_view_calling_the_twin_converts_and_the_other_stays(tmp_path: Path) -> None:
    root = project(tmp_path, SHARED_BY_A_VIEW_ON_THE_ORM)

    assert reasons(root, "tag") == ("converted", [])
    assert reasons(root, "drafts")[0] == "partial"


def test_a_shared_helper_calling_another_querying_helper_keeps_its_views_on_the_orm(
    tmp_path: Path,
) -> None:
    views = SHARED_HELPER.replace(
        'return {"title": post.title, "tags": [tag.slug for tag in post.tags.all()]}',
        'return {"title": post.title, "tags": _slugs(post)}\n\n\n'
        "    def _slugs(post):\n"
        "        return [tag.slug for tag in post.tags.all()]",
    )
    root = project(tmp_path, views)

    status, why = reasons(root, "drafts")
    assert status == "partial"
    assert any("is also used by" in reason for reason in why)
