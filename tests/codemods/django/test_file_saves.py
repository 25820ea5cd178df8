"""`x.save(f)` writing a file (an image saved to a `BytesIO` or a file the function opened) is
no query: a function doing only that keeps no reason; a model's, form's or file field's `save()`
with any other argument (a path: a file field's `save(name, content)` saves its row) still stays
on Django's ORM."""

from __future__ import annotations

from textwrap import dedent

import libcst as cst
import pytest

from codemods.django.view_queries import function_queries

MODELS = frozenset({"Post"})


def reasons(body: str) -> list[str]:
    module = cst.parse_module(dedent(body))
    function = module.body[0]
    assert isinstance(function, cst.FunctionDef)
    return function_queries(function, MODELS, {}, {}).reasons


@pytest.mark.parametrize(
    "body",
    [
        """
        def qr(data):
            img = qrcode.make(data)
            buf = io.BytesIO()
            img.save(buf)
            return buf.getvalue()
        """,
        """
        def thumbnail(image):
            with open("thumb.png", "wb") as out:
                image.save(out, format="PNG")
        """,
    ],
)
def test_saving_to_a_file_object_or_a_path_is_no_query(body: str) -> None:
    assert reasons(body) == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            """
            def keep(post, where):
                post.save(where)
            """,
            "keep: post.save(): a Django queryset, related manager or model method",
        ),
        (
            """
            def keep(post):
                buf = io.BytesIO()
                buf = post
                post.save(buf)
            """,
            "keep: post.save(): a Django queryset, related manager or model method",
        ),
        (
            """
            def avatar(user, content):
                user.avatar.save("a.png", content)
            """,
            "avatar: user.avatar.save(): a Django queryset, related manager or model method",
        ),
    ],
)
def test_a_save_given_anything_else_stays_on_the_orm(body: str, reason: str) -> None:
    assert reason in reasons(body)
