"""The DRF serializers rule: a `Serializer` becomes a Pydantic model of the runtime's
`DrfModel` that refuses what the serializer refuses with DRF's own messages (checked here by
running the serializer and its conversion on the same payloads); what the table does not cover
is kept as written and reported."""

from __future__ import annotations

import itertools
import sys
import textwrap
import types
from types import SimpleNamespace
from typing import Any

import pytest

from codemods.django.rules.drf_serializers import DrfSerializersRule
from codemods.engine.findings import Status
from tests.codemods.django.support import BLOG, convert

NUMBERS = itertools.count()
SIGNUP = """
    from rest_framework import serializers


    class Signup(serializers.Serializer):
        \"\"\"A new account.\"\"\"

        username = serializers.CharField(max_length=12, min_length=3)
        email = serializers.EmailField()
        nickname = serializers.CharField(required=False, allow_blank=True)
        age = serializers.IntegerField(min_value=13, max_value=130, required=False)
        score = serializers.FloatField(allow_null=True, default=None)
        newsletter = serializers.BooleanField(default=False)
        plan = serializers.ChoiceField(choices=["free", "pro"])
        site = serializers.URLField(required=False)
        handle = serializers.SlugField(required=False)
        token = serializers.UUIDField(required=False)
        created = serializers.ReadOnlyField()

        def validate_username(self, value):
            if value.lower() == "admin":
                raise serializers.ValidationError("This name is reserved.")
            return value

        def validate(self, data):
            if data.get("plan") == "pro" and "age" not in data:
                raise serializers.ValidationError("A pro plan needs an age.")
            return data
    """


def converted_module(source: str) -> tuple[str, list[Any]]:
    return convert(textwrap.dedent(source), [DrfSerializersRule])


def run(code: str) -> dict[str, Any]:
    """The module `code` makes (registered: Pydantic resolves annotations in it)."""
    module = types.ModuleType(f"serializers_under_test_{next(NUMBERS)}")
    sys.modules[module.__name__] = module
    exec(compile(code, "<generated>", "exec"), module.__dict__)
    return module.__dict__


def test_a_serializer_becomes_a_drf_model_with_annotated_fields() -> None:
    code, findings = converted_module(SIGNUP)
    assert "class Signup(DrfModel):" in code
    assert "    username: Annotated[str, drf_char(max_length=12, min_length=3)]" in code
    assert "    nickname: Annotated[str | None, drf_char(allow_blank=True)] = None" in code
    assert "    score: Annotated[float | None, drf_float(allow_null=True)] = None" in code
    assert "    newsletter: Annotated[bool, drf_boolean()] = False" in code
    assert (
        '    @field_validator("username")\n    @classmethod\n    def validate_username(cls, value):'
        in code
    )
    assert "created" not in code  # read only: not an input
    assert "from rest_framework import serializers" not in code
    assert [(f.kind, f.symbol, f.status) for f in findings] == [
        ("serializer", "Signup", Status.converted)
    ]


PAYLOADS: list[dict[str, Any]] = [
    {},
    {"username": "ann", "email": "ann@example.com", "plan": "free"},
    {"username": "  ", "email": "nope", "plan": "gold"},
    {"username": "a", "email": "a@b.co", "plan": "free", "age": "12"},
    {"username": "x" * 13, "email": "a@b.co", "plan": "free", "age": "1.5"},
    {"username": "Admin", "email": "a@b.co", "plan": "free"},
    {"username": "ann", "email": "a@b.co", "plan": "pro"},
    {"username": "ann", "email": "a@b.co", "plan": "pro", "age": 131, "newsletter": "maybe"},
    {"username": None, "email": "a@b.co", "plan": "free", "score": "x", "site": "not a url"},
    {"username": 12345, "email": "a@b.co", "plan": "free", "handle": "no spaces!"},
    {"username": True, "email": "a@b.co", "plan": "free", "token": "123"},
    {"username": "ann", "email": "a@b.co", "plan": "free", "newsletter": "yes", "age": "20.0"},
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=[str(i) for i in range(len(PAYLOADS))])
def test_the_model_refuses_what_drf_refuses_with_drfs_messages(payload: dict[str, Any]) -> None:
    drf = run(textwrap.dedent(SIGNUP))["Signup"](data=payload)
    drf.is_valid()
    model = run(converted_module(SIGNUP)[0])["Signup"]
    assert model.drf_errors(payload) == {k: [str(m) for m in v] for k, v in drf.errors.items()}


def test_a_valid_payload_gives_drfs_validated_values() -> None:
    payload = {
        "username": " ann ",
        "email": "a@b.co",
        "plan": "pro",
        "age": "20",
        "newsletter": "on",
    }
    drf = run(textwrap.dedent(SIGNUP))["Signup"](data=payload)
    assert drf.is_valid(), drf.errors
    model = run(converted_module(SIGNUP)[0])["Signup"].model_validate(payload)
    assert model.validated_data() == dict(drf.validated_data)


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (
            """
            class Nested(serializers.Serializer):
                price = serializers.DecimalField(max_digits=5, decimal_places=2)
            """,
            "field price is a DecimalField, not in the serializer table",
        ),
        (
            """
            class Ctx(serializers.Serializer):
                name = serializers.CharField()

                def validate_name(self, value):
                    return self.context["request"].user.username
            """,
            "validate_name uses self (the serializer's context or instance)",
        ),
        (
            """
            class Saving(serializers.Serializer):
                name = serializers.CharField()

                def create(self, validated_data):
                    return validated_data
            """,
            "method create is not a validate_<field> or validate",
        ),
        (
            """
            class Parent(serializers.Serializer):
                name = serializers.CharField()

            class Child(Parent):
                age = serializers.IntegerField()
            """,
            "a serializer of its module subclasses it",
        ),
        (
            """
            class Linked(serializers.HyperlinkedModelSerializer):
                pass
            """,
            "its base serializers.HyperlinkedModelSerializer is not converted",
        ),
    ],
)
def test_a_serializer_the_table_does_not_cover_is_kept_and_reported(
    source: str, reason: str
) -> None:
    before = "from rest_framework import serializers\n" + textwrap.dedent(source)
    code, findings = converted_module(before)
    assert "DrfModel" not in code
    assert findings[0].status == Status.manual
    assert findings[0].reasons[0].endswith(reason)


BLOG_MODELS = (BLOG / "blog" / "models.py").read_text()
COMMENT_SERIALIZER = """
    from rest_framework import serializers

    from legacy_examples.django_blog.blog.models import Comment


    class CommentSerializer(serializers.ModelSerializer):
        class Meta:
            model = Comment
            fields = ["id", "author_name", "email", "body", "approved", "created"]

        def validate_body(self, value):
            if "spam" in value:
                raise serializers.ValidationError("No spam.")
            return value
    """


def converted_model_serializer(source: str) -> tuple[str, list[Any]]:
    analysis = SimpleNamespace(models_sources=[BLOG_MODELS])
    return convert(textwrap.dedent(source), [DrfSerializersRule], analysis=analysis)


def test_a_model_serializer_takes_its_fields_from_the_model_as_drf_builds_them() -> None:
    code, findings = converted_model_serializer(COMMENT_SERIALIZER)
    assert "class CommentSerializer(DrfModel):" in code
    assert "    author_name: Annotated[str, drf_char(max_length=80)]" in code
    assert (
        "    email: Annotated[str | None, drf_email(allow_blank=True, max_length=254)] = None"
        in code
    )
    assert "    approved: Annotated[bool | None, drf_boolean()] = None" in code
    assert "created" not in code and " id:" not in code  # read only: auto_now_add, the key
    assert findings[0].status == Status.converted


COMMENT_PAYLOADS: list[dict[str, Any]] = [
    {},
    {"author_name": "Ann", "body": "Hi"},
    {"author_name": "", "email": "", "body": "spam here", "approved": "nope"},
    {"author_name": "x" * 81, "email": "not-an-email", "body": None, "approved": "yes"},
    {"author_name": "Ann", "email": "a@b.co", "body": "ok", "approved": False, "id": 9},
]


@pytest.mark.parametrize(
    "payload", COMMENT_PAYLOADS, ids=[str(i) for i in range(len(COMMENT_PAYLOADS))]
)
def test_a_model_serializer_conversion_refuses_what_drf_refuses(payload: dict[str, Any]) -> None:
    drf = run(textwrap.dedent(COMMENT_SERIALIZER))["CommentSerializer"](data=payload)
    valid = drf.is_valid()
    model = run(converted_model_serializer(COMMENT_SERIALIZER)[0])["CommentSerializer"]
    assert model.drf_errors(payload) == {k: [str(m) for m in v] for k, v in drf.errors.items()}
    if valid:
        assert model.model_validate(payload).validated_data() == dict(drf.validated_data)


def test_a_model_serializer_with_a_unique_field_is_kept_drf_checks_the_table() -> None:
    source = COMMENT_SERIALIZER.replace("Comment", "Post").replace(
        '["id", "author_name", "email", "body", "approved", "created"]', '["title", "slug"]'
    )
    code, findings = converted_model_serializer(source)
    assert "DrfModel" not in code
    assert findings[0].reasons == [
        "serializer PostSerializer kept as written: model field slug is unique: DRF checks "
        "the table"
    ]


def test_a_subclass_of_a_kept_serializer_is_reported_too() -> None:
    before = """
        from rest_framework import serializers

        class Parent(serializers.Serializer):
            name = serializers.CharField()

        class Child(Parent):
            age = serializers.IntegerField()
        """
    _, findings = converted_module(before)
    assert [(f.symbol, f.status) for f in findings] == [
        ("Parent", Status.manual),
        ("Child", Status.manual),
    ]
    assert findings[1].reasons == [
        "serializer Child kept as written: its base Parent is not converted"
    ]
