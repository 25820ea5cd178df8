"""The query mappings beyond a single `Model.objects` chain (querysets.py): `Q`, `__year`,
custom managers that are plain filters, instances' related managers, `annotate(Count(...))`,
`create(**fields)` and a many-to-many `set()`. Each: the Django queryset, and the code it
becomes."""

from __future__ import annotations

import libcst as cst
import pytest

from codemods.django.managers import read_managers
from codemods.django.model_relations import Relation, read_relations
from codemods.django.querysets import Scope, Unconvertible, translate

MODELS_SOURCE = """
from django.conf import settings
from django.db import models


class Tag(models.Model):
    name = models.CharField(max_length=50)


class PublishedManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(status="published")


class Post(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    tags = models.ManyToManyField(Tag, related_name="posts")
    title = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10)
    created = models.DateTimeField()
    objects = models.Manager()
    published = PublishedManager()


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    approved = models.BooleanField(default=False)
"""
MODELS = frozenset({"Post", "Tag", "Comment", "Q", "Count"})
RELATIONS = read_relations([MODELS_SOURCE])
SCOPE = Scope(read_managers([MODELS_SOURCE]), {})


def sql(queryset: str) -> str:
    return translate(cst.parse_expression(queryset), MODELS, RELATIONS, SCOPE).code


def test_q_objects_combine_with_or_and_and_not() -> None:
    assert sql("Post.objects.filter(Q(title=a) | Q(body=b) & ~Q(status=c))") == (
        "session.scalars(ordered(select(tables.Post).where(or_(tables.Post.title == a, "
        "and_(tables.Post.body == b, not_(tables.Post.status == c)))))).all()"
    )


def test_a_q_with_several_lookups_ands_them() -> None:
    assert "and_(tables.Post.title == a, tables.Post.body == b)" in sql(
        "Post.objects.filter(Q(title=a, body=b))"
    )


def test_the_year_lookup_becomes_the_range_of_that_year() -> None:
    assert "in_year(tables.Post.created, int(year))" in sql(
        "Post.objects.filter(created__year=int(year))"
    )


def test_a_custom_manager_that_is_a_plain_filter_starts_with_its_filter() -> None:
    assert sql("Post.published.filter(pk=pk)") == (
        "session.scalars(ordered(select(tables.Post).where(tables.Post.status == "
        "'published', tables.Post.id == pk))).all()"
    )


def test_a_foreign_key_to_the_user_is_traversed_through_the_generated_user() -> None:
    assert "related(tables.Post.author, username=name)" in sql(
        "Post.objects.filter(author__username=name)"
    )


def test_select_related_of_the_user_joins_it() -> None:
    assert "joinedload(tables.Post.author)" in sql('Post.objects.select_related("author")')


def test_a_reverse_foreign_key_of_an_instance_selects_the_rows_keyed_to_it() -> None:
    assert sql("post.comments.filter(approved=True).count()") == (
        "session.scalar(select(func.count()).select_from(select(tables.Comment).where("
        "tables.Comment.post_id == pk_of(post), tables.Comment.approved.is_(True)).subquery()))"
    )


def test_a_many_to_many_of_an_instance_selects_the_rows_linked_to_it_in_their_order() -> None:
    assert sql("post.tags.all()") == (
        "session.scalars(ordered(select(tables.Tag).where(related(tables.Tag.posts, "
        "id=pk_of(post))))).all()"
    )


def test_a_name_two_relations_share_is_not_guessed() -> None:
    with pytest.raises(Unconvertible):
        sql("tag.posts.all()")  # Tag.posts, and the user's posts (Post.author)


def test_setting_a_many_to_many_replaces_its_links() -> None:
    assert sql("post.tags.set(tags)") == 'set_related(session, post, "tags", tags)'


def test_annotate_count_becomes_a_grouped_outer_join_with_a_filter() -> None:
    assert sql('Tag.objects.annotate(n=Count("posts", filter=Q(posts__status=s)))') == (
        "annotated(session.execute(ordered(select(tables.Tag, func.count(tables.Post.id)"
        '.filter(tables.Post.status == s).label("n")).outerjoin(tables.Tag.posts)'
        '.group_by(tables.Tag.id))), "n")'
    )


def test_a_count_filter_on_another_relation_stays() -> None:
    with pytest.raises(Unconvertible, match="another relation"):
        sql('Tag.objects.annotate(n=Count("posts", filter=Q(author__username=u)))')


def test_create_passes_a_dict_of_fields_through_and_the_user_by_key() -> None:
    assert sql("Post.objects.create(author=request.user, **cleaned)") == (
        "create(session, tables.Post, author_id=pk_of(request.user), **cleaned)"
    )


def test_update_of_a_foreign_key_sets_its_key_column() -> None:
    assert sql("Comment.objects.filter(post=old).update(post=new)") == (
        "update_rows(session, select(tables.Comment).where(tables.Comment.post_id == "
        "pk_of(old)), post_id=pk_of(new))"
    )


def test_a_queryset_variable_goes_on_from_its_statement() -> None:
    scope = Scope(SCOPE.managers, {"posts": "Post"})
    node = cst.parse_expression("posts.filter(title=t).exists()")
    assert translate(node, MODELS, RELATIONS, scope).code == (
        "session.scalar(select(posts.where(tables.Post.title == t).exists()))"
    )


def test_a_relation_to_another_models_modules_model_is_mapped() -> None:
    from codemods.django.model_relations import read_relations

    topics = "from django.db import models\n\nclass Topic(models.Model):\n    pass\n"
    comments = (
        "from django.db import models\n\nclass Comment(models.Model):\n"
        "    topic = models.ForeignKey('topics.Topic', on_delete=models.CASCADE)\n"
    )
    relation = read_relations([topics, comments])["Comment"]["topic"]

    # the models modules share one base: the models rule relates Comment.topic to Topic
    assert relation.mapped and relation.target == "Topic"


def test_a_relation_to_a_model_outside_the_project_is_not_mapped() -> None:
    from codemods.django.model_relations import read_relations

    comments = (
        "from django.db import models\n\nclass Comment(models.Model):\n"
        "    topic = models.ForeignKey('topics.Topic', on_delete=models.CASCADE)\n"
    )
    relation = read_relations([comments])["Comment"]["topic"]

    assert not relation.mapped  # the models rule gives Comment only topic_id


def test_a_reverse_relation_from_another_models_module_is_not_traversed() -> None:
    # Private.topic points at Topic from another module: the generated Topic has no `privates`
    relations = {
        "Topic": {"user": Relation("ForeignKey", True, True, None, "User")},
        "Private": {"topic": Relation("ForeignKey", False, False, "privates", None)},
    }
    node = cst.parse_expression("Topic.objects.exclude(privates__user=u)")

    with pytest.raises(Unconvertible, match="not a relation the generated model has"):
        translate(node, frozenset({"Topic"}), relations)


OWN_ROWS = """
from django.db import models


class PublishedManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(status="published")


class LiveManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().exclude(status="removed")


class Post(models.Model):
    status = models.CharField(max_length=10)
    objects = PublishedManager()


class Note(models.Model):
    status = models.CharField(max_length=10)
    objects = LiveManager()
"""


def own_rows(queryset: str) -> str:
    from codemods.django.queryset_methods import read_queryset_methods

    scope = Scope(read_managers([OWN_ROWS]), {}, read_queryset_methods([OWN_ROWS]))
    node = cst.parse_expression(queryset)
    return translate(node, frozenset({"Post", "Note"}), read_relations([OWN_ROWS]), scope).code


def test_objects_as_a_plain_filter_manager_keeps_its_filter() -> None:
    assert own_rows("Post.objects.filter(pk=pk)") == (
        "session.scalars(ordered(select(tables.Post).where(tables.Post.status == "
        "'published', tables.Post.id == pk))).all()"
    )


def test_objects_whose_get_queryset_does_more_stays() -> None:
    with pytest.raises(Unconvertible, match="get_queryset selects rows of its own"):
        own_rows("Note.objects.all()")


def test_a_foreign_keys_in_lookup_compares_its_key_column_with_the_keys_of_the_values() -> None:
    assert "tables.Comment.post_id.in_(pks_of(posts))" in sql(
        "Comment.objects.filter(post__in=posts)"
    )
