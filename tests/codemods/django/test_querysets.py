"""One queryset -> the SQLAlchemy 2.0 code that runs it (querysets.py), or why it stays."""

from __future__ import annotations

import libcst as cst
import pytest

from codemods.django.model_relations import Relation
from codemods.django.querysets import Unconvertible, translate

MODELS = frozenset({"Post", "Tag", "Comment"})
RELATIONS = {
    "Post": {
        "author": Relation("ForeignKey", mapped=False, to_user=True, related_name="posts"),
        "tags": Relation("ManyToManyField", mapped=True),
    },
    "Comment": {"post": Relation("ForeignKey", mapped=True)},
}


def sql(queryset: str) -> str:
    return translate(cst.parse_expression(queryset), MODELS, RELATIONS).code


def test_a_filtered_list_keeps_djangos_default_ordering() -> None:
    assert sql('Post.objects.filter(status="published")') == (
        'session.scalars(ordered(select(tables.Post).where(tables.Post.status == "published")))'
        ".all()"
    )


def test_comparison_lookups_become_operators() -> None:
    assert sql("Post.objects.filter(id__gte=2, id__lt=9, pk__in=ids)") == (
        "session.scalars(ordered(select(tables.Post).where(tables.Post.id >= 2, "
        "tables.Post.id < 9, tables.Post.id.in_(ids)))).all()"
    )


def test_icontains_escapes_the_wildcards_as_django_does() -> None:
    assert "tables.Post.title.icontains(q, autoescape=True)" in sql(
        "Post.objects.filter(title__icontains=q)"
    )


def test_isnull_becomes_is_null() -> None:
    assert "is_null(tables.Post.slug, True)" in sql("Post.objects.filter(slug__isnull=True)")


def test_exclude_negates_all_its_lookups_together() -> None:
    assert ".where(not_(and_(tables.Post.id == pk, tables.Post.status == s)))" in sql(
        "Post.objects.exclude(pk=pk, status=s)"
    )


def test_a_foreign_key_to_a_model_not_generated_is_compared_by_key() -> None:
    assert "tables.Post.author_id == pk_of(request.user)" in sql(
        "Post.objects.filter(author=request.user)"
    )


def test_one_level_of_traversal_goes_through_the_relationship() -> None:
    assert "related(tables.Post.tags, slug=tag)" in sql("Post.objects.filter(tags__slug=tag)")


def test_traversing_a_relation_without_relationship_stays_on_the_orm() -> None:
    with pytest.raises(Unconvertible, match="related model is not generated"):
        sql("Post.objects.filter(author__username=name)")


def test_order_by_replaces_the_default_ordering_and_minus_means_descending() -> None:
    assert sql('Post.objects.order_by("-created", "title")') == (
        "session.scalars(select(tables.Post).order_by(tables.Post.created.desc(), "
        "tables.Post.title)).all()"
    )


def test_a_slice_becomes_offset_and_limit() -> None:
    assert sql("Post.objects.all()[5:15]") == (
        "session.scalars(ordered(select(tables.Post)).offset(5).limit(10)).all()"
    )


def test_count_counts_the_filtered_rows() -> None:
    assert sql("Tag.objects.filter(slug__in=slugs).count()") == (
        "session.scalar(select(func.count()).select_from(select(tables.Tag)"
        ".where(tables.Tag.slug.in_(slugs)).subquery()))"
    )


def test_exists_asks_the_database_for_existence() -> None:
    assert sql("Post.objects.filter(slug=s).exists()") == (
        "session.scalar(select(select(tables.Post).where(tables.Post.slug == s).exists()))"
    )


def test_first_falls_back_to_the_primary_key_order_as_django_does() -> None:
    assert sql("Tag.objects.first()") == (
        "session.scalars(ordered(select(tables.Tag), by_pk=True).limit(1)).first()"
    )


def test_last_reads_the_first_row_of_the_default_ordering_reversed() -> None:
    assert sql("Tag.objects.last()") == (
        "session.scalars(reversed_order(ordered(select(tables.Tag), by_pk=True)).limit(1)).first()"
    )


def test_last_reverses_an_explicit_order_by() -> None:
    assert sql('Tag.objects.order_by("name").last()') == (
        "session.scalars(reversed_order(select(tables.Tag).order_by(tables.Tag.name))"
        ".limit(1)).first()"
    )


def test_get_wants_exactly_one_row_and_raises_the_legacy_models_errors() -> None:
    assert sql("Tag.objects.get(slug=s)") == (
        "get_one(session, select(tables.Tag).where(tables.Tag.slug == s), Tag)"
    )


def test_get_object_or_404_loads_what_select_related_names() -> None:
    assert sql('get_object_or_404(Comment.objects.select_related("post"), pk=pk)') == (
        "get_or_404(session, select(tables.Comment).where(tables.Comment.id == pk)"
        ".options(joinedload(tables.Comment.post)))"
    )


def test_prefetch_related_becomes_selectinload() -> None:
    assert ".options(selectinload(tables.Post.tags))" in sql(
        'Post.objects.prefetch_related("tags")'
    )


def test_create_gives_a_relation_without_relationship_by_key() -> None:
    assert sql("Post.objects.create(author=request.user, title=t)") == (
        "create(session, tables.Post, author_id=pk_of(request.user), title=t)"
    )


def test_create_keeps_a_relationship_as_an_object() -> None:
    assert sql("Comment.objects.create(post=post, body=b)") == (
        "create(session, tables.Comment, post=post, body=b)"
    )


@pytest.mark.parametrize(
    ("queryset", "reason"),
    [
        ('Tag.objects.annotate(n=Sum("posts"))', "Sum"),
        ("Post.published.filter(pk=1)", "custom managers"),
        ("Post.objects.filter(F('a') > 1)", "positional filters other than Q"),
        ("Post.objects.filter(created__month=2)", "__month lookup"),
        ("Post.objects.filter(tags__slug__startswith=s)", "__startswith lookup"),
        ("Post.objects.filter(tags__post__slug=s)", "model its relations lead to is not known"),
        ("Post.objects.all()[n:]", "constant slice"),
        ("Post.objects.aggregate(Max('id'))", "aggregate"),
    ],
)
def test_what_the_mapping_does_not_cover_stays_on_the_orm(queryset: str, reason: str) -> None:
    with pytest.raises(Unconvertible, match=reason):
        sql(queryset)


def test_update_changes_the_selected_rows_in_one_statement() -> None:
    assert sql("Post.objects.filter(pk=pk).update(title=t, author=user)") == (
        "update_rows(session, select(tables.Post).where(tables.Post.id == pk), title=t, "
        "author_id=pk_of(user))"
    )


def test_the_users_related_manager_selects_the_rows_keyed_to_the_user() -> None:
    assert sql("request.user.posts.filter(status=s).count()") == (
        "session.scalar(select(func.count()).select_from(select(tables.Post).where("
        "tables.Post.author_id == pk_of(request.user), tables.Post.status == s).subquery()))"
    )
