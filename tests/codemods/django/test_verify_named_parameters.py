"""The verification's value of a path parameter named `<model>_<field>` (a view's
`slug_url_kwarg = "post_slug"`, django-newsletter's `newsletter_slug`): the first row's field of
that model, when neither the view's model nor the path segment before it has such a field; so
the route reaches its own code rather than two alike 404s. A date view's `year`/`month`/`day`
and its `slug` (through its `slug_field`) are the first row's, for the same reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from django.views.generic import DateDetailView

from codemods.django.verify_legacy import _row_values
from legacy_examples.django_blog.blog import models as legacy


def view(request: Any, **kwargs: Any) -> None:
    return None


@pytest.fixture
def posts(db: None) -> None:
    from django.contrib.auth.models import User

    author = User.objects.create(username="named")
    for slug in ("first", "second"):
        legacy.Post.objects.create(title=slug, slug=slug, body="", author=author)


def test_a_model_named_parameter_takes_the_first_rows_field(posts: None) -> None:
    assert _row_values(view, "<post_slug>/", "post_slug") == ["first"]


def test_a_parameter_naming_no_model_field_has_no_row_value(posts: None) -> None:
    assert _row_values(view, "<post_colour>/", "post_colour") == []
    assert _row_values(view, "<newsletter_slug>/", "newsletter_slug") == []


def test_the_path_segment_still_comes_first(posts: None) -> None:
    assert _row_values(view, "posts/<slug>/", "slug") == ["first"]


class CommentDate(DateDetailView):  # newsletter's archive detail: a slug through a key
    queryset = legacy.Comment.objects.all()
    date_field = "created"
    month_format = "%m"
    slug_field = "post__slug"


@pytest.fixture
def comments(posts: None) -> list[Any]:
    return [
        legacy.Comment.objects.create(post=post, author_name="a", body="")
        for post in legacy.Post.objects.order_by("pk")
    ]


def test_a_date_views_date_parts_are_the_first_rows_date_in_its_formats(
    comments: list[Any],
) -> None:
    callback = CommentDate.as_view()
    route = "archive/<year>/<month>/<day>/<slug>/"
    created = timezone.localtime(comments[0].created)
    assert _row_values(callback, route, "year") == [created.strftime("%Y")]
    assert _row_values(callback, route, "month") == [created.strftime("%m")]
    assert _row_values(callback, route, "day") == [created.strftime("%d")]


def test_a_date_views_slug_is_read_through_its_slug_field(comments: list[Any]) -> None:
    route = "archive/<year>/<month>/<day>/<slug>/"
    assert _row_values(CommentDate.as_view(), route, "slug") == ["first"]
