"""Flask-WTF forms in generated FastAPI views (transitional: it needs wtforms and the legacy forms
module until the templates are rewritten): the Pydantic model validates the posted form, the
legacy WTForms class renders it.

A view asks for `form: Annotated[HtmlForm[CheckoutForm], Depends(html_form(CheckoutForm))]`
and keeps its Flask-WTF code: `form.validate_on_submit()` (a submitting method and a valid
model), `form.field.data`, `form.field.errors`, `form.errors`, and the template's `form.x(...)`,
`form.x.label`, `form.hidden_tag()`. Validation is the model's (errors are kept per field with
WTForms' messages: a validator's own `message=` from the model's `legacy_messages`, otherwise
WTForms' default; the page is rendered again with 200, as the legacy view does);
rendering is WTForms' own, from the legacy class named by the model's `legacy_form`, rebuilt on
`wtforms.Form` so that no Flask request context is needed.
"""

from __future__ import annotations

import importlib
import shutil
import types
import typing
from collections.abc import Awaitable, Callable, Iterator, Mapping
from functools import cache
from os import PathLike
from typing import Any, Generic, TypeVar

import wtforms
from fastapi import Request
from markupsafe import Markup, escape
from pydantic import AnyUrl, BaseModel, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from starlette.datastructures import FormData, UploadFile
from wtforms.fields.core import UnboundField

from codemods.runtime.flask import csrf

M = TypeVar("M", bound=BaseModel)
SUBMIT_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FALSE_VALUES = ("", "false")  # WTForms' BooleanField.false_values
TEXT_TYPES: tuple[type, ...] = (str, SecretStr)
REQUIRED = "This field is required."


class LegacyUpload:
    """An `UploadFile` with the Werkzeug `FileStorage` look views use: `filename`, `save()`,
    `stream`, `mimetype`, and false when the file input was left empty."""

    def __init__(self, upload: UploadFile) -> None:
        self.upload = upload
        self.filename = upload.filename or ""
        self.stream = upload.file
        self.mimetype = self.content_type = upload.content_type or ""

    def save(self, destination: str | PathLike[str]) -> None:
        self.stream.seek(0)
        with open(destination, "wb") as target:
            shutil.copyfileobj(self.stream, target)

    def __bool__(self) -> bool:
        return bool(self.filename)


class _Bare:
    """Stands for the WTForms field of a model without a legacy class: data only."""

    choices: Any = None
    type = "Bare"

    def __init__(self, name: str) -> None:
        self.name = self.id = name
        self.data: Any = None


class BoundField:
    """One field of an `HtmlForm`, with WTForms' `Field` API (`data`, `errors`, `choices`,
    `label`, calling it renders the input); anything else is the WTForms field's."""

    def __init__(self, name: str, widget: Any) -> None:
        self.__dict__["name"] = name
        self.__dict__["widget_field"] = widget
        self.__dict__["errors"] = []
        widget.errors = self.errors

    @property
    def data(self) -> Any:
        return self.widget_field.data

    @data.setter
    def data(self, value: Any) -> None:
        self.widget_field.data = value
        if hasattr(self.widget_field, "raw_data"):
            self.widget_field.raw_data = None  # re-render the view's value, not the posted one

    @property
    def choices(self) -> Any:
        return self.widget_field.choices

    @choices.setter
    def choices(self, value: Any) -> None:
        self.widget_field.choices = value

    def __call__(self, **kwargs: Any) -> Markup:
        if isinstance(self.widget_field, _Bare):
            raise LookupError(f"field {self.name!r}: the form model names no legacy_form to render")
        return Markup(self.widget_field(**kwargs))

    def __html__(self) -> str:
        return str(self())

    def __str__(self) -> str:
        return self.__html__()

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.__dict__["widget_field"], attribute)


class HtmlForm(Generic[M]):
    """A Flask-WTF form for a generated view: see the module documentation."""

    def __init__(self, model: type[M], request: Request, formdata: FormData | None) -> None:
        # Underscored: a legacy field may be called `model` or `request` (WTForms reserves only
        # its own API names).
        self._model = model
        self._request = request
        self._formdata = formdata
        self.validated: M | None = None  # the validated model, once `validate()` passed
        self.form_errors: list[str] = []
        legacy = getattr(model, "legacy_form", None)
        widgets = rendering_form(legacy)(formdata=formdata) if isinstance(legacy, str) else None
        names = list(widgets._fields) if widgets is not None else list(model.model_fields)
        self._fields = {
            name: BoundField(name, widgets[name] if widgets is not None else _Bare(name))
            for name in names
        }
        if widgets is None and formdata is not None:
            for name, value in form_input(model, formdata).items():
                self._fields[name].widget_field.data = value

    # -- Flask-WTF's API ------------------------------------------------------------------------
    def is_submitted(self) -> bool:
        return self._request.method in SUBMIT_METHODS

    def validate_on_submit(self) -> bool:
        return self.is_submitted() and self.validate()

    def validate(self) -> bool:
        self.form_errors.clear()
        for field in self._fields.values():
            field.errors.clear()
        try:
            self.validated = self._model.model_validate(form_input(self._model, self._formdata))
        except ValidationError as error:
            self.validated = None
            for detail in error.errors():
                self._error(detail)
        else:
            for name in self._model.model_fields:
                if name in self._fields:
                    self._fields[name].data = legacy_value(getattr(self.validated, name))
        self._check_choices()
        return not self.errors

    @property
    def errors(self) -> dict[str | None, list[str]]:
        found: dict[str | None, list[str]] = {
            n: f.errors for n, f in self._fields.items() if f.errors
        }
        if self.form_errors:
            found[None] = self.form_errors
        return found

    @property
    def data(self) -> dict[str, Any]:
        return {name: field.data for name, field in self._fields.items()}

    def populate_obj(self, obj: object) -> None:
        for name in self._model.model_fields:
            setattr(obj, name, self._fields[name].data)

    @property
    def csrf_token(self) -> Markup:
        token = escape(csrf.csrf_token(self._request))
        return Markup(f'<input id="csrf_token" name="csrf_token" type="hidden" value="{token}">')

    def hidden_tag(self, *fields: BoundField) -> Markup:
        hidden = [f for f in fields or self._fields.values() if f.type == "HiddenField"]
        return Markup("\n").join([*(f() for f in hidden), self.csrf_token])

    def __getattr__(self, name: str) -> BoundField:
        fields = self.__dict__.get("_fields", {})
        if name in fields:
            found = fields[name]
            assert isinstance(found, BoundField)
            return found
        raise AttributeError(name)

    def __getitem__(self, name: str) -> BoundField:
        return self._fields[name]

    def __contains__(self, name: str) -> bool:
        return name in self._fields

    def __iter__(self) -> Iterator[BoundField]:
        return iter(self._fields.values())

    # -- validation details ---------------------------------------------------------------------
    def _error(self, detail: ErrorDetails) -> None:
        name = detail["loc"][0] if detail["loc"] else None
        if not isinstance(name, str) or name not in self._fields:
            self.form_errors.extend(wtforms_messages(detail, None))
            return
        info = self._model.model_fields.get(name)
        own = getattr(self._model, "legacy_messages", {}).get(name, {})
        self._fields[name].errors.extend(wtforms_messages(detail, info, own))

    def _check_choices(self) -> None:
        """SelectField: the value must be one of the choices, also those set by the view."""
        for field in self._fields.values():
            choices = field.choices if field.type in ("SelectField", "RadioField") else None
            if not isinstance(choices, list | tuple) or field.data is None or field.errors:
                continue
            values = [c[0] if isinstance(c, list | tuple) else c for c in choices]
            if field.data not in values:
                field.errors.append("Not a valid choice.")


def html_form(model: type[M]) -> Callable[[Request], Awaitable[HtmlForm[M]]]:
    """The dependency that gives a view its form, filled from the posted data when submitted."""

    async def dependency(request: Request) -> HtmlForm[M]:
        formdata = await request.form() if request.method in SUBMIT_METHODS else None
        return HtmlForm(model, request, formdata)

    return dependency


@cache
def rendering_form(path: str) -> type[wtforms.Form]:
    """The legacy form class (`package.module.Class`) rebuilt on `wtforms.Form`: the same
    fields, labels, widgets and validator flags, without Flask-WTF's request and CSRF."""
    module, _, name = path.rpartition(".")
    legacy = getattr(importlib.import_module(module), name)
    fields = {
        key: value
        for klass in reversed(legacy.__mro__)
        for key, value in vars(klass).items()
        if isinstance(value, UnboundField)
    }
    return type(name, (wtforms.Form,), fields)


# -- the posted data as the model's input -------------------------------------------------------
def _without_none(annotation: Any) -> tuple[Any, bool]:
    """`T | None` -> (T, True); anything else -> (itself, False)."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _without_none(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) < len(typing.get_args(annotation)):
            return (args[0] if len(args) == 1 else annotation), True
    return annotation, False


def form_input(model: type[BaseModel], formdata: FormData | None) -> dict[str, Any]:
    """What the model validates: the posted values as WTForms reads them (a checkbox is false
    when missing, "" or "false"; an empty file input is no file; "" is None for optional
    non-text fields)."""
    values: dict[str, Any] = {}
    if formdata is None:
        return values
    for name, info in model.model_fields.items():
        if name not in formdata:
            continue
        kind, optional = _without_none(info.annotation)
        raw = [v for v in formdata.getlist(name) if not _empty_file(v)]
        if typing.get_origin(kind) is list:
            values[name] = raw
            continue
        value: Any = raw[0] if raw else None
        if kind is bool:
            value = value not in FALSE_VALUES
        elif value == "" and optional and kind not in TEXT_TYPES:
            value = None
        values[name] = value
    return values


def _empty_file(value: object) -> bool:
    return isinstance(value, UploadFile) and not value.filename


def legacy_value(value: Any) -> Any:
    """A validated value as the WTForms field held it (plain strings, FileStorage-like files)."""
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, UploadFile):
        return LegacyUpload(value)
    if isinstance(value, AnyUrl):
        return str(value)
    if isinstance(value, list):
        return [legacy_value(v) for v in value]
    return value


# -- WTForms' messages ---------------------------------------------------------------------------
def _bounds(info: FieldInfo, low: str, high: str) -> tuple[Any, Any]:
    found: dict[str, Any] = {}
    for item in info.metadata:
        for key in (low, high):
            if getattr(item, key, None) is not None:
                found[key] = getattr(item, key)
    return found.get(low), found.get(high)


def _length_message(info: FieldInfo, raw: Any, own: Mapping[str, str]) -> str:
    low, high = _bounds(info, "min_length", "max_length")
    if "Length" in own:
        length = len(_secret(raw)) if isinstance(raw, str | SecretStr) else 0
        bounds = {"min": -1 if low is None else low, "max": -1 if high is None else high}
        return own["Length"] % {**bounds, "length": length}
    if high is None:
        return f"Field must be at least {low} character{'' if low == 1 else 's'} long."
    if low is None or (low == 1 and _pattern(info) == r"\S"):
        return f"Field cannot be longer than {high} character{'' if high == 1 else 's'}."
    if low == high:
        return f"Field must be exactly {high} characters long."
    return f"Field must be between {low} and {high} characters long."


def _range_message(info: FieldInfo, own: Mapping[str, str]) -> str:
    low, high = _bounds(info, "ge", "le")
    if "NumberRange" in own:
        return own["NumberRange"] % {"min": low, "max": high}
    if high is None:
        return f"Number must be at least {low}."
    if low is None:
        return f"Number must be at most {high}."
    return f"Number must be between {low} and {high}."


def _pattern(info: FieldInfo) -> str | None:
    for item in info.metadata:
        pattern = getattr(item, "pattern", None)
        if isinstance(pattern, str):
            return pattern
    return None


def _any_of_message(info: FieldInfo, own: Mapping[str, str]) -> str:
    """AnyOf's message, `%(values)s` being the values as WTForms lists them."""
    kind, _ = _without_none(info.annotation)
    values = ", ".join(str(value) for value in typing.get_args(kind))
    return own["AnyOf"] % {"values": values}


PARSING_MESSAGES = {
    "int": "Not a valid integer value.",
    "decimal": "Not a valid decimal value.",
    "float": "Not a valid float value.",
    "datetime": "Not a valid datetime value.",
    "date": "Not a valid date value.",
    "time": "Not a valid time value.",
    "url": "Invalid URL.",
    "uuid": "Invalid UUID.",
    "ip": "Invalid IP address.",
    "literal": "Not a valid choice.",
    "enum": "Not a valid choice.",
}
# The validator whose message= replaces the parsing message (the kind's first word).
PARSING_VALIDATORS = {"url": "URL", "uuid": "UUID", "ip": "IPAddress"}
REQUIRED_VALIDATORS = ("DataRequired", "InputRequired", "FileRequired")


def wtforms_messages(
    detail: ErrorDetails, info: FieldInfo | None, own: Mapping[str, str] | None = None
) -> list[str]:
    """The messages WTForms' validators give for what Pydantic found: their own `message=`
    when the form gave one (`own`, validator name -> message, the model's `legacy_messages`),
    otherwise WTForms' default.

    A required field is taken to be `DataRequired` (the usual one): when its value is blank or
    does not parse, WTForms shows "This field is required." alone. Otherwise a value that does
    not parse also fails a `NumberRange`, as in WTForms (its data is None)."""
    own = own or {}
    kind = detail["type"]
    required = next((own[v] for v in REQUIRED_VALIDATORS if v in own), REQUIRED)
    if kind == "missing":
        return [required]
    if info is None:
        return [_plain_message(detail, own)]
    raw = detail.get("input")
    blank = raw is None or (isinstance(raw, str | SecretStr) and not _secret(raw).strip())
    prefix = kind.split("_")[0]
    parse_error = kind.endswith(("_parsing", "_type")) and prefix in PARSING_MESSAGES
    if info.is_required() and (blank or parse_error):
        return [required]
    if parse_error:
        messages = [own.get(PARSING_VALIDATORS.get(prefix, ""), PARSING_MESSAGES[prefix])]
        if _bounds(info, "ge", "le") != (None, None):
            messages.append(_range_message(info, own))
        return messages
    if kind.endswith(("too_short", "too_long")):
        return [_length_message(info, raw, own)]
    if kind in ("greater_than_equal", "less_than_equal"):
        return [_range_message(info, own)]
    if kind == "string_pattern_mismatch":
        return [own.get("Regexp") or own.get("MacAddress") or "Invalid input."]
    if kind == "literal_error" and "AnyOf" in own:
        return [_any_of_message(info, own)]
    return [_plain_message(detail, own)]


def _plain_message(detail: ErrorDetails, own: Mapping[str, str]) -> str:
    kind = detail["type"]
    if kind == "value_error":
        if detail["msg"].startswith("value is not a valid email address"):
            return own.get("Email", "Invalid email address.")
        error = detail.get("ctx", {}).get("error")
        return str(error) if error is not None else detail["msg"].removeprefix("Value error, ")
    prefix = kind.split("_")[0]
    return own.get(PARSING_VALIDATORS.get(prefix, ""), PARSING_MESSAGES.get(prefix, detail["msg"]))


def _secret(value: str | SecretStr) -> str:
    return value.get_secret_value() if isinstance(value, SecretStr) else value
