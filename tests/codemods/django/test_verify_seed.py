"""Verification's sandbox database gets one row in each empty table (after `migrate`), so a route
with a path parameter reaches its view on both sides; a table with rows is left as it is."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage
from django.db import models

from codemods.django.verify_seed import (
    _optional_relations,
    _sample_files,
    _value,
    seed_empty_tables,
)
from codemods.django.verify_user import USERNAME, make_superuser
from legacy_examples.django_blog.blog.models import Comment, Post, Tag

pytestmark = pytest.mark.django_db


def test_every_empty_table_gets_one_row() -> None:
    seed_empty_tables()

    assert (Tag.objects.count(), Post.objects.count(), Comment.objects.count()) == (1, 1, 1)


def test_a_foreign_key_takes_the_first_row_of_its_model() -> None:
    make_superuser()

    seed_empty_tables()

    comment = Comment.objects.get()
    assert comment.post == Post.objects.get()
    assert comment.post.author.get_username() == USERNAME  # the verification's superuser


def test_a_table_with_rows_is_left_as_it_is() -> None:
    Tag.objects.create(name="kept", slug="kept")

    seed_empty_tables()

    assert list(Tag.objects.values_list("name", flat=True)) == ["kept"]


def test_a_field_with_choices_takes_its_first_choice() -> None:
    field = models.CharField(max_length=5, choices=[("Group", [("a", "A")]), ("b", "B")])

    assert _value(field, "default") == "a"


def test_a_text_sample_fits_the_field() -> None:
    assert _value(models.CharField(max_length=3), "default") == "sam"


def test_the_superuser_is_made_once() -> None:
    make_superuser()
    make_superuser()

    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_a_many_to_many_field_links_the_first_rows() -> None:
    seed_empty_tables()

    assert [tag.pk for tag in Post.objects.get().tags.all()] == [Tag.objects.get().pk]


def test_the_links_of_django_s_own_apps_are_left_alone() -> None:
    make_superuser()

    seed_empty_tables()

    assert not get_user_model().objects.get().groups.exists()


def seeded_file(location: Path, kind: type[models.FileField]) -> Path:
    field = kind(storage=FileSystemStorage(location=str(location)))
    field.set_attributes_from_name("file")
    model = SimpleNamespace(_meta=SimpleNamespace(concrete_fields=[field]))
    _sample_files(model, {"file": _value(field, "default")})
    return location / _value(field, "default")


def test_a_seeded_file_fields_file_is_written_in_the_sandboxs_media(
    tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    written = seeded_file(tmp_path / "uploads", models.FileField)
    assert written.read_bytes() == b"sample\n"
    image = seeded_file(tmp_path, models.ImageField)
    assert image.read_bytes().startswith(b"\x89PNG")


def test_a_storage_outside_the_sandboxs_media_is_not_written(tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    assert not seeded_file(tmp_path / "elsewhere", models.FileField).exists()


def optional_author_model() -> Any:
    """A model with a nullable foreign key to the user (django-todo's `Comment.author`)."""
    user = get_user_model()
    author = SimpleNamespace(
        null=True,
        attname="author_id",
        related_model=user,
        target_field=user._meta.pk,
        get_internal_type=lambda: "ForeignKey",
    )
    return SimpleNamespace(_meta=SimpleNamespace(concrete_fields=[author]))


def test_a_nullable_foreign_key_takes_the_first_row_of_its_model_when_there_is_one() -> None:
    # django-todo's comment page asserts that a comment has an author or a mail id
    make_superuser()

    found = _optional_relations(optional_author_model(), "default")

    assert found == {"author_id": get_user_model().objects.get(username=USERNAME).pk}


def test_a_nullable_foreign_key_stays_empty_while_its_model_has_no_row() -> None:
    assert _optional_relations(optional_author_model(), "default") == {}
