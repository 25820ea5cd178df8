"""The generated form models of django_blog accept and reject what the Django forms do."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pytest

from codemods.django.app_facts import read_apps
from codemods.django.rules.forms import DjangoFormsRule
from codemods.django.rules.models import DjangoModelsRule
from tests.codemods.django.support import BLOG, convert, load, run_django

COMMENTS: list[dict[str, Any]] = [
    {"author_name": "Ann", "body": "Hello"},
    {"author_name": "   ", "body": "Hello"},
    {"author_name": "Ann", "body": "see http://example.com"},
    {"author_name": "Ann", "body": "Hi", "notify": "on"},
    {"author_name": "Ann", "body": "Hi", "notify": "on", "email": "ann@example.com"},
    {"author_name": "Ann", "body": "Hi", "email": "not-an-email"},
    {"author_name": "A" * 81, "body": "Hi"},
    {"author_name": "  " + "A" * 80 + "  ", "body": "Hi"},
    {"author_name": "Ann", "body": "Hi", "notify": "false"},
    {"body": "Hi"},
    {"author_name": "Ann", "body": "Hi", "email": "   "},
    {"author_name": "Ann", "body": "B" * 2001},
]

POSTS: list[dict[str, Any]] = [
    {"title": "Hello", "slug": "", "body": "short", "status": "draft"},
    {"title": "Hi", "slug": "", "body": "short", "status": "draft"},
    {"title": "   Hello   ", "body": "short", "status": "draft"},
    {"title": "Hello", "slug": "new", "body": "short", "status": "draft"},
    {"title": "Hello", "slug": "bad slug!", "body": "short", "status": "draft"},
    {"title": "Hello", "slug": "", "body": "short", "status": "published"},
    {"title": "Hello", "slug": "", "body": "b" * 25, "status": "published"},
    {"title": "Hello", "slug": "", "body": "short", "status": "archived"},
    {"title": "Hello", "slug": "", "body": "", "status": "draft"},
    {"title": "Hello", "slug": "Hello-World", "body": "short", "status": "draft"},
    {"title": "x" * 201, "slug": "", "body": "short", "status": "draft"},
    {"title": "Hello", "slug": "", "body": "short"},
]


@pytest.fixture(scope="module")
def generated() -> ModuleType:
    models_code, _ = convert((BLOG / "blog" / "models.py").read_text(), [DjangoModelsRule])
    load(models_code, "generated_blog_models_for_forms")
    code, _ = convert(
        (BLOG / "blog" / "forms.py").read_text(),
        [DjangoFormsRule],
        module_path=("blog", "forms.py"),
        analysis=read_apps(BLOG),
    )
    code = code.replace("from .models import", "from generated_blog_models_for_forms import")
    return load(code, "generated_blog_forms")


@pytest.fixture(scope="module")
def django_answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[bool]]:
    database = tmp_path_factory.mktemp("forms") / "blog.sqlite3"
    script = f"""
        import json
        from django.core.management import call_command
        call_command("migrate", verbosity=0)
        from legacy_examples.django_blog.blog.forms import CommentForm, PostForm
        print(json.dumps({{
            "comments": [CommentForm(data=d).is_valid() for d in {COMMENTS!r}],
            "posts": [PostForm(data=d).is_valid() for d in {POSTS!r}],
        }}))
    """
    answers: dict[str, list[bool]] = json.loads(run_django(Path(database), script))
    return answers


def accepts(model: type[pydantic.BaseModel], data: dict[str, Any]) -> bool:
    try:
        model.model_validate(data)
    except pydantic.ValidationError:
        return False
    return True


def test_the_comment_form_model_accepts_what_the_django_form_accepts(
    generated: ModuleType, django_answers: dict[str, list[bool]]
) -> None:
    ours = [accepts(generated.CommentForm, data) for data in COMMENTS]
    assert ours == django_answers["comments"]
    assert ours.count(True) >= 4 and ours.count(False) >= 4  # the table tests both ways


def test_the_post_model_form_model_accepts_what_the_django_form_accepts(
    generated: ModuleType, django_answers: dict[str, list[bool]]
) -> None:
    ours = [accepts(generated.PostForm, data) for data in POSTS]
    assert ours == django_answers["posts"]
    assert ours.count(True) >= 3 and ours.count(False) >= 5


def test_the_post_form_model_derives_the_slug_from_the_title_as_clean_does(
    generated: ModuleType,
) -> None:
    form = generated.PostForm.model_validate(
        {"title": " Hello World ", "body": "short", "status": "draft"}
    )
    assert (form.title, form.slug) == ("Hello World", "hello-world")


def test_django_messages_are_kept(generated: ModuleType) -> None:
    with pytest.raises(pydantic.ValidationError, match=r"Links are not allowed in comments\."):
        generated.CommentForm.model_validate({"author_name": "A", "body": "http://x"})
