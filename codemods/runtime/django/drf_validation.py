"""Pydantic models that accept and refuse what a Django REST framework serializer does, with
DRF's messages and its 400 shape (`{"field": ["This field is required."]}`,
`non_field_errors` for `validate()`). The serializers rule writes them
(`codemods/django/rules/drf_serializers.py`); each field is an annotation and a `BeforeValidator`
doing what the DRF field's `run_validation` does (blank, null, `to_internal_value`, then its
validators, in DRF's order).

    class EchoSerializer(DrfModel):
        text: Annotated[str, drf_char(max_length=10)]
        count: Annotated[int | None, drf_integer(min_value=0)] = None   # required=False

    EchoSerializer.drf_errors(payload)   # {} or {"text": ["This field may not be blank."]}

`validate_<field>` and `validate` raise `ValidationError("message")` (this module's, a
`ValueError`), as they raised DRF's. Permanent: the models the rule writes keep using it when
the legacy project goes. It imports no DRF, and only Django's validators for e-mail addresses
and URLs (as DRF uses them), which need no configured project.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

NON_FIELD_ERRORS = "non_field_errors"  # DRF's api_settings.NON_FIELD_ERRORS_KEY default
REQUIRED = "This field is required."
NULL = "This field may not be null."
BLANK = "This field may not be blank."
MAX_STRING_LENGTH = 1000  # DRF's IntegerField/FloatField.MAX_STRING_LENGTH
DECIMAL_TAIL = re.compile(r"\.0*\s*$")
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
TRUE_VALUES = {"t", "y", "yes", "true", "on", "1", 1}  # True == 1
FALSE_VALUES = {"f", "n", "no", "false", "off", "0", 0}  # False == 0 == 0.0


class ValidationError(ValueError):
    """What a converted `validate_<field>`/`validate` raises: DRF's `ValidationError(detail)`
    (a message, or a list of messages)."""

    def __init__(self, detail: str | list[str]) -> None:
        super().__init__(detail)
        self.messages = [detail] if isinstance(detail, str) else [str(d) for d in detail]


class DrfModel(BaseModel):
    """A serializer's fields as a Pydantic model; extra keys are ignored, as DRF ignores them."""

    model_config = ConfigDict(extra="ignore", arbitrary_types_allowed=True)
    # fields DRF leaves out of validated_data when absent (required=False without a default)
    drf_optional: ClassVar[tuple[str, ...]] = ()

    def validated_data(self) -> dict[str, Any]:
        """DRF's `validated_data`: the fields given, and those with a default."""
        return {
            name: value
            for name, value in self.model_dump().items()
            if name in self.model_fields_set or name not in self.drf_optional
        }

    @classmethod
    def drf_errors(cls, data: Any) -> dict[str, list[str]]:
        """DRF's `serializer.errors` for `data` ({} when it is valid)."""
        try:
            cls.model_validate(data)
        except PydanticValidationError as error:
            return errors_of(error)
        return {}


def errors_of(error: PydanticValidationError) -> dict[str, list[str]]:
    """A Pydantic error in DRF's shape: field -> messages, `non_field_errors` for the model's."""
    found: dict[str, list[str]] = {}
    for item in error.errors(include_url=False):
        key = str(item["loc"][0]) if item["loc"] else NON_FIELD_ERRORS
        cause = (item.get("ctx") or {}).get("error")
        if item["type"] == "missing":
            messages = [REQUIRED]
        elif isinstance(cause, ValidationError):
            messages = cause.messages
        elif item["type"] == "model_attributes_type":
            key, messages = NON_FIELD_ERRORS, ["Invalid data. Expected a dictionary, but got "
                                               f"{type(item['input']).__name__}."]  # fmt: skip
        else:
            messages = [item["msg"]]
        found.setdefault(key, []).extend(messages)
    return found


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("drf", message)


def _empty(value: Any, allow_null: bool) -> tuple[bool, Any]:
    """DRF's `validate_empty_values` for a given value: (answered, value)."""
    if value is None:
        if not allow_null:
            raise _fail(NULL)
        return True, None
    return False, value


def _field(check: Callable[[Any], Any], allow_null: bool) -> BeforeValidator:
    def validate(value: Any) -> Any:
        answered, value = _empty(value, allow_null)
        return value if answered else check(value)

    return BeforeValidator(validate)


def _bounds(value: Any, min_value: Any, max_value: Any) -> Any:
    messages = []
    if max_value is not None and value > max_value:
        messages.append(f"Ensure this value is less than or equal to {max_value}.")
    if min_value is not None and value < min_value:
        messages.append(f"Ensure this value is greater than or equal to {min_value}.")
    if messages:
        raise ValidationError(messages)
    return value


def drf_char(
    *,
    allow_blank: bool = False,
    trim_whitespace: bool = True,
    max_length: int | None = None,
    min_length: int | None = None,
    allow_null: bool = False,
    then: Callable[[str], str] | None = None,
) -> BeforeValidator:
    """`serializers.CharField`: blank check (on the trimmed text), str of a str/int/float, then
    its length validators (and `then`: an e-mail, slug or URL check)."""

    def check(value: Any) -> str:
        if value == "" or (trim_whitespace and str(value).strip() == ""):
            if not allow_blank:
                raise _fail(BLANK)
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise _fail("Not a valid string.")
        text = str(value).strip() if trim_whitespace else str(value)
        messages = []
        if max_length is not None and len(text) > max_length:
            messages.append(f"Ensure this field has no more than {max_length} characters.")
        if min_length is not None and len(text) < min_length:
            messages.append(f"Ensure this field has at least {min_length} characters.")
        if then is not None:
            try:
                text = then(text)
            except ValidationError as error:
                messages += error.messages
        if messages:
            raise ValidationError(messages)
        return text

    return _field(check, allow_null)


def _django_check(validator: Callable[[str], None], message: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        try:
            validator(text)
        except DjangoValidationError as error:
            raise ValidationError(message) from error
        return text

    return check


def _slug_check(text: str) -> str:
    if not SLUG.match(text):
        raise ValidationError(
            'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'
        )
    return text


def drf_email(**options: Any) -> BeforeValidator:
    """`serializers.EmailField`: a CharField checked by Django's `EmailValidator`."""
    return drf_char(then=_django_check(validate_email, "Enter a valid email address."), **options)


def drf_slug(**options: Any) -> BeforeValidator:
    return drf_char(then=_slug_check, **options)


def drf_url(**options: Any) -> BeforeValidator:
    return drf_char(then=_django_check(URLValidator(), "Enter a valid URL."), **options)


def drf_integer(
    *, min_value: int | None = None, max_value: int | None = None, allow_null: bool = False
) -> BeforeValidator:
    """`serializers.IntegerField`: `int()` of the text without a `.0` tail."""

    def check(value: Any) -> int:
        if isinstance(value, str) and len(value) > MAX_STRING_LENGTH:
            raise _fail("String value too large.")
        try:
            number = int(DECIMAL_TAIL.sub("", str(value)))
        except (ValueError, TypeError):
            raise _fail("A valid integer is required.") from None
        return int(_bounds(number, min_value, max_value))

    return _field(check, allow_null)


def drf_float(
    *, min_value: float | None = None, max_value: float | None = None, allow_null: bool = False
) -> BeforeValidator:
    def check(value: Any) -> float:
        if isinstance(value, str) and len(value) > MAX_STRING_LENGTH:
            raise _fail("String value too large.")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise _fail("A valid number is required.") from None
        except OverflowError:
            raise _fail("Integer value too large to convert to float") from None
        if not math.isfinite(number):
            raise _fail("A valid number is required.")
        return float(_bounds(number, min_value, max_value))

    return _field(check, allow_null)


def drf_boolean(*, allow_null: bool = False) -> BeforeValidator:
    """`serializers.BooleanField`: DRF's true and false spellings."""

    def check(value: Any) -> bool | None:
        lowered = value.lower() if isinstance(value, str) else value
        try:
            if lowered in TRUE_VALUES:
                return True
            if lowered in FALSE_VALUES:
                return False
            if lowered in ("null", "") and allow_null:
                return None
        except TypeError:
            pass
        raise _fail("Must be a valid boolean.")

    return _field(check, allow_null)


def drf_uuid(*, allow_null: bool = False) -> BeforeValidator:
    def check(value: Any) -> uuid.UUID:
        if isinstance(value, uuid.UUID):
            return value
        try:
            if isinstance(value, int):
                return uuid.UUID(int=value)
            if isinstance(value, str):
                return uuid.UUID(hex=value)
        except ValueError:
            pass
        raise _fail("Must be a valid UUID.")

    return _field(check, allow_null)


def drf_choice(
    choices: Iterable[Any], *, allow_blank: bool = False, allow_null: bool = False
) -> BeforeValidator:
    """`serializers.ChoiceField`: the value whose str is the input's str."""
    values = {str(c[0] if isinstance(c, tuple | list) else c): c for c in choices}
    values = {k: v[0] if isinstance(v, tuple | list) else v for k, v in values.items()}

    def check(value: Any) -> Any:
        if value == "" and allow_blank:
            return ""
        try:
            return values[str(value)]
        except KeyError:
            raise ValidationError(f'"{value}" is not a valid choice.') from None

    return _field(check, allow_null)
