"""docs/mappings.md stands for the codemods' tables: every row of the code's tables is on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.django import drf, drf_routers
from codemods.django.tables import drf_serializers
from codemods.django.tables import forms as django_forms
from codemods.django.tables import models as django_models
from codemods.flask.tables import converters, request, responses, wtforms

PAGE = (Path(__file__).resolve().parents[1] / "docs" / "mappings.md").read_text()

ROWS = [
    *(f"`{name}" for name in wtforms.FIELDS),
    *(f"`{name}" for name in sorted(wtforms.NOT_DATA)),
    *(f"`{name}" for name in wtforms.VALIDATORS),
    *(f"<{name}:x>" for name in converters.CONVERTERS if name != "any"),
    "<any(a, b):x>",
    *(f"`request.{source}`" for source in request.SOURCES),
    *(f".{attribute}`" for attribute in request.ATTRIBUTES),
    *(f"`request.{attribute}" for attribute in request.MANUAL),
    *(f"`request.{attribute}`" for attribute in request.REQUEST_FUNCTIONS),
    *(f"`{name}" for name in responses.SAME_SHAPE),
    *(f"{keyword}=" for keyword in responses.RESPONSE_KEYWORDS),
    *(f"{keyword}=" for keyword in responses.SEND_FILE_KEYWORDS if "attachment" not in keyword),
    *(f"`{name}" for name in django_models.FIELDS),
    *(f"`{name}" for name in django_models.RELATIONS),
    *(f"`{name}" for name in django_models.CHOICES_CLASSES),
    *(f"`{name}" for name in django_forms.FIELDS),
    *(f"`{name}" for name in django_forms.MODEL_FORM_FIELDS),
    *(f"`{name}`" for name in drf.DRF_HANDLERS),
    *(f"`{name}" for name in drf_serializers.FIELDS),
    *(f"`{name}`" for name in drf_serializers.MODEL_FIELDS),
    *(f"`{name}" for name in sorted(drf_serializers.OUTPUT_ONLY)),
    *(f"`{name}" for name in sorted(drf_serializers.COMMON_OPTIONS)),
    *(f"`{name}()`" for name in sorted(drf_routers.ROUTER_CLASSES)),
]


@pytest.mark.parametrize("row", ROWS)
def test_every_row_of_the_code_tables_is_on_the_mappings_page(row: str) -> None:
    assert row in PAGE


def test_the_docs_never_point_outside_the_repository() -> None:
    docs = Path(__file__).resolve().parents[1] / "docs"
    for page in docs.glob("*.md"):
        text = page.read_text()
        assert "MAPPINGS.md" not in text and "DESIGN.md" not in text, page.name
