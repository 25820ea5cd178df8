"""The verification's value of a path parameter named `<model>_<field>` (a view's
`slug_url_kwarg = "post_slug"`, django-newsletter's `newsletter_slug`): the first row's field of
that model, when neither the view's model nor the path segment before it has such a field; so
the route reaches its own code rather than two alike 404s."""

from __future__ import annotations

from typing import Any

import pytest

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
