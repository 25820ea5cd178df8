"""django-cryptography's `encrypt(models.CharField(...))` (encrypted_fields.py): the models
rule gives it a column read and written through Django's own field (`DjangoFieldValue`), the
wrapped field's options kept; an `encrypt` of anything else, or not imported from
django_cryptography, stays as written with its TODO."""

from __future__ import annotations

from codemods.django.rules.models import DjangoModelsRule
from tests.codemods.django.support import convert

HEADER = "from django.db import models\nfrom django_cryptography.fields import encrypt\n\n"


def model(field: str, header: str = HEADER) -> str:
    return f"{header}class Connection(models.Model):\n    {field}\n"


def test_an_encrypted_char_field_is_a_column_stored_through_djangos_field() -> None:
    code, _ = convert(
        model("host = encrypt(models.CharField(max_length=255, blank=True, null=True))"),
        [DjangoModelsRule],
    )
    assert (
        'host: Mapped[str | None] = mapped_column(DjangoFieldValue("blog_connection", "host"), '
        "nullable=True)"
    ) in code
    assert "from codemods.runtime.django.django_fields import DjangoFieldValue" in code
    assert "TODO(strangler): field host" not in code


def test_an_encrypt_not_django_cryptographys_stays_as_written() -> None:
    header = "from django.db import models\nfrom .crypto import encrypt\n\n"
    code, _ = convert(
        model("host = encrypt(models.CharField(max_length=9))", header), [DjangoModelsRule]
    )
    assert "TODO(strangler): field host: models.encrypt is not in the table, kept as is" in code
    assert "DjangoFieldValue" not in code


def test_an_encrypted_field_the_table_does_not_know_stays_as_written() -> None:
    code, _ = convert(model("blob = encrypt(MyField())"), [DjangoModelsRule])
    assert "TODO(strangler): field blob: models.encrypt is not in the table, kept as is" in code
