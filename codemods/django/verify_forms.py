"""A valid submission of the forms a route's page renders, for the verification's form pass: the
legacy GET of a route that also takes POST renders its page with Django's own form classes;
the forms in its templates' context are recorded (`FormRecorder`), and each field gets a value a
browser could send: a text typed into every required text input (so an edit form writes a
change; an optional one, such as a honeypot, is sent as it is), the form's own initial value
for any other field that has one (a hidden input, a choice already made), else a value of the
field's type (the first of its choices, the first row of a model
choice's queryset, a sample its regex accepts, a number within its bounds, ...). Both sides are
then posted the same body (probe.py).

A field the verification cannot fill (a file upload, a field of its own type with no initial
value) is left out: the submission is then invalid on both sides and compared as such.

A route that takes POST only is posted what its view reads of the submission, as its code
says (post_reads.py): the fields of the forms it builds on the whole submission, and the keys
it reads itself, a key its lookup compares with a model's field given the first row's value
(`posted_submission`).

A second submission proves the restriction of model choice fields (a queryset of the form's
`__init__`, a manager's): the same body, each single model choice field whose queryset leaves
out a row of its model given that row's key (`outside_submission`). Django refuses it with
`invalid_choice`; the generated side must answer the same status and write the same rows.
"""

from __future__ import annotations

import datetime
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from codemods.engine.submission_keys import TYPED_TEXT

CSRF_FIELD = "csrfmiddlewaretoken"  # what `{% csrf_token %}` renders
SAMPLE_TEXT = "sample"
SAMPLE_PASSWORD = "Strangler-verify-9q"  # passes Django's stock password validators
EMPTY: tuple[Any, ...] = (None, "", [], ())


class FormRecorder:
    """The forms in the context of every Django template rendered while `active` (installed on
    `Template._render`, as Django's test instrumentation is); `current`: the last installed."""

    current: FormRecorder | None = None

    def __init__(self) -> None:
        self.forms: list[Any] = []
        self.active = True

    def clear(self) -> None:
        self.forms.clear()

    def stop(self) -> None:
        self.active = False
        self.forms.clear()

    def install(self) -> None:
        from django.template.base import Template

        original = Template._render
        recorder = self

        def _render(template: Any, context: Any) -> Any:
            if recorder.active:
                recorder.seen(context)
            return original(template, context)

        Template._render = _render
        FormRecorder.current = self

    def seen(self, context: Any) -> None:
        from django.forms import BaseForm

        for layer in getattr(context, "dicts", ()):
            for value in layer.values() if isinstance(layer, dict) else ():
                if isinstance(value, BaseForm) and all(value is not f for f in self.forms):
                    self.forms.append(value)


def refused(forms: list[Any]) -> dict[str, list[str]]:
    """The errors of the bound forms a page rendered again (a submission they refused), by
    prefixed field name (`__all__`: the form's own)."""
    found: dict[str, list[str]] = {}
    for form in forms:
        if not form.is_bound:
            continue
        for name, errors in form.errors.items():
            key = form.add_prefix(name) if name != "__all__" else "__all__"
            found.setdefault(key, [str(e) for e in errors])
    return found


def submission(forms: list[Any], token: str) -> bytes:
    """The urlencoded body of a valid submission of `forms` (their fields by prefixed name, the
    first form's value winning), with the CSRF token as `{% csrf_token %}` puts it in the form."""
    data: dict[str, list[str]] = {}
    for form in forms:
        for key, values in form_data(form):
            data.setdefault(key, values)
    pairs = [(CSRF_FIELD, token)] + [(k, v) for k, values in data.items() for v in values]
    return urllib.parse.urlencode(pairs).encode("ascii")


def posted_submission(
    names: dict[str, Any], keys: dict[str, str | None], forms: list[str], token: str
) -> bytes:
    """The urlencoded body a route taking POST only is posted when its view reads the submission
    (post_reads.py): the fields of each form it builds on the whole of it (`names`: its module's
    globals), filled as a rendered form's are (a ModelForm of a model the view looks a row up in
    shows that row, as its edit page does), then each key it reads itself: the value the first
    row holds in the field a lookup compares it with (`"Model.field"`: a client sends an
    existing row's, so the view's lookup finds it), else the form's value, else a typed text."""
    from django.forms import BaseForm, BaseModelForm

    rows = {source: _first_row_of(names, source) for source in keys.values() if source}
    data: dict[str, list[str]] = {}
    for name in forms:
        klass = names.get(name)
        if not isinstance(klass, type) or not issubclass(klass, BaseForm):
            continue
        model = getattr(getattr(klass, "_meta", None), "model", None)
        row = next((r for r in rows.values() if r is not None and type(r) is model), None)
        try:  # a ModelForm of the row the view looks up: its page shows that row's values
            form = klass(instance=row) if issubclass(klass, BaseModelForm) else klass()
        except Exception:  # a form whose __init__ wants arguments: its fields are not known
            continue
        for key, values in form_data(form):
            data.setdefault(key, values)
    for key, source in keys.items():
        if key == CSRF_FIELD:  # posted once, first, as the page's form posts it
            continue
        value = _field_value(names, source) if source else None
        if value is not None:
            data[key] = [str(value)]
        else:
            data.setdefault(key, [TYPED_TEXT])
    pairs = [(CSRF_FIELD, token)] if token else []  # none: the caller's header carries it
    pairs += [(k, v) for k, values in data.items() for v in values]
    return urllib.parse.urlencode(pairs).encode("ascii")


def _field_value(names: dict[str, Any], source: str) -> Any:
    """What a row holds in `Model.field`: for a key to another model (`connection`,
    `connection_id`), the key of that model's first row; else the field of Model's first row."""
    model_name, _, name = source.partition(".")
    model: Any = names.get(model_name)
    try:
        field = next(f for f in model._meta.concrete_fields if name in (f.name, f.attname))
    except Exception:  # no model, or no such field
        return None
    try:
        if field.many_to_one or field.one_to_one:
            target = field.related_model._default_manager.order_by("pk").first()
            return None if target is None else getattr(target, field.target_field.attname)
        row = model._default_manager.order_by("pk").first()
        return None if row is None else getattr(row, field.attname)
    except Exception:
        return None


def _first_row_of(names: dict[str, Any], source: str) -> Any:
    """The first row of `Model` of `Model.field` (a name of the view's module), or None."""
    from django.db.models import Model

    model: Any = names.get(source.partition(".")[0])
    if not (isinstance(model, type) and issubclass(model, Model)):
        return None
    manager: Any = getattr(model, "_default_manager", None)
    try:
        return manager.order_by("pk").first()
    except Exception:
        return None


def outside_submission(forms: list[Any], token: str) -> bytes | None:
    """`submission` with each single model choice field given a row of its model its queryset
    leaves out (None when no field leaves one out)."""
    data: dict[str, list[str]] = {}
    outside: dict[str, list[str]] = {}
    for form in forms:
        for key, values in form_data(form):
            data.setdefault(key, values)
        for name, field in form.fields.items():
            row = None if field.disabled else _outside_row(field)
            if row is not None:
                outside.setdefault(form.add_prefix(name), [str(field.prepare_value(row))])
    if not outside:
        return None
    pairs = [(CSRF_FIELD, token)]
    pairs += [(k, v) for k, values in {**data, **outside}.items() for v in values]
    return urllib.parse.urlencode(pairs).encode("ascii")


def _outside_row(field: Any) -> Any:
    """A row of a single model choice field's model that its queryset leaves out, or None."""
    from django import forms

    if not isinstance(field, forms.ModelChoiceField) or isinstance(
        field, forms.ModelMultipleChoiceField
    ):
        return None
    try:
        queryset = field.queryset
        rows = queryset.model._default_manager.exclude(pk__in=queryset.values("pk"))
        return rows.order_by("pk").first()
    except Exception:  # a queryset that cannot be a subquery (sliced, raw)
        return None


def form_data(form: Any) -> Iterator[tuple[str, list[str]]]:
    """(the field's name in the body, its values) for every field a browser would send."""
    from django.forms import MultiValueField

    for name, field in form.fields.items():
        if field.disabled:
            continue
        key = form.add_prefix(name)
        initial = _initial(form, name)
        if isinstance(field, MultiValueField):
            yield from _multi_value(field, key, initial)
            continue
        if _typed(field):
            values = [_text(field, TYPED_TEXT)] if field.required else _as_values(initial or "")
        elif initial not in EMPTY:
            values = _offered(field.widget, initial)
        else:
            values = field_sample(field)
        if values:
            yield key, values


def _typed(field: Any) -> bool:
    """A plain text input or text area (not hidden, not a password, not a text of a format of
    its own such as an email address)."""
    from django import forms

    return (
        type(field) is forms.CharField
        and not field.widget.is_hidden
        and isinstance(field.widget, forms.TextInput | forms.Textarea)
    )


def _initial(form: Any, name: str) -> Any:
    try:
        return form[name].value()
    except Exception:  # a field's own prepare_value failing on its initial
        return None


def _offered(widget: Any, initial: Any) -> list[str]:
    """The initial value as a browser sends it: a single `<select>` whose options leave it out
    (an initial alias, options keyed by id) has no option selected, so the browser sends its
    first option (the first non-empty one here, a valid choice); any other input, its value."""
    from django.forms import Select

    values = _as_values(initial)
    if not isinstance(widget, Select) or widget.allow_multiple_selected:
        return values
    try:
        options = [str(value) for value in _option_values(widget.choices)]
    except Exception:  # choices that cannot be listed here (a queryset on a missing table)
        return values
    if not options or values[0] in options:
        return values
    return [next((option for option in options if option), options[0])]


def _option_values(choices: Any) -> Iterator[Any]:
    for value, label in choices:
        if isinstance(label, list | tuple):  # a named group of options
            yield from (inner for inner, _ in label)
        else:
            yield value


def _as_values(value: Any) -> list[str]:
    if isinstance(value, bool):
        return ["on"] if value else []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def _multi_value(field: Any, key: str, initial: Any) -> Iterator[tuple[str, list[str]]]:
    """A `MultiValueField` (`SplitDateTimeField`): one input per subfield, `name_0`, `name_1`."""
    parts = field.widget.decompress(initial) if initial not in EMPTY else []
    suffixes = getattr(field.widget, "widgets_names", None) or [
        f"_{i}" for i in range(len(field.fields))
    ]
    for index, (suffix, subfield) in enumerate(zip(suffixes, field.fields, strict=False)):
        part = parts[index] if index < len(parts) else None
        values = _as_values(part) if part not in EMPTY else field_sample(subfield)
        if values:
            yield key + suffix, values


def field_sample(field: Any) -> list[str]:
    """A value of the field's type a browser could send (none for a file upload)."""
    from django import forms

    for kind, sample in _samples():
        if isinstance(field, kind):
            return sample(field)
    if isinstance(field, forms.FileField):
        return []
    return [SAMPLE_TEXT]


def _samples() -> Iterator[tuple[type, Callable[[Any], list[str]]]]:
    """Field classes, most specific first, with their sample."""
    from django import forms

    yield forms.ModelMultipleChoiceField, lambda f: _first_row(f)[:1]
    yield forms.ModelChoiceField, _first_row
    yield forms.MultipleChoiceField, lambda f: _first_choice(f)[:1]
    yield forms.ChoiceField, _first_choice
    yield forms.NullBooleanField, lambda f: ["true"]
    yield forms.BooleanField, lambda f: ["on"]
    yield forms.EmailField, lambda f: ["verify@example.com"]
    yield forms.URLField, lambda f: ["https://example.com/"]
    yield forms.SlugField, lambda f: [_text(f, "sample-slug")]
    yield forms.UUIDField, lambda f: [str(uuid.UUID(int=1))]
    yield forms.GenericIPAddressField, lambda f: ["127.0.0.1"]
    yield forms.JSONField, lambda f: ["{}"]
    yield forms.RegexField, _regex
    yield forms.DurationField, lambda f: ["00:01:00"]
    yield forms.DecimalField, _number
    yield forms.FloatField, _number
    yield forms.IntegerField, _number
    yield forms.DateTimeField, lambda f: ["2024-01-01 12:00:00"]
    yield forms.DateField, lambda f: [datetime.date(2024, 1, 1).isoformat()]
    yield forms.TimeField, lambda f: ["12:00:00"]
    yield forms.FileField, lambda f: []
    yield forms.CharField, _char


def _first_row(field: Any) -> list[str]:
    """The first row of a model choice's queryset, as its `<option value>` (`to_field_name`)."""
    try:
        row = field.queryset.first()
    except Exception:
        return []
    return [] if row is None else [str(field.prepare_value(row))]


def _first_choice(field: Any) -> list[str]:
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # a named group of choices
            for inner, _ in label:
                if inner not in EMPTY:
                    return [str(inner)]
        elif value not in EMPTY:
            return [str(value)]
    return []


def _number(field: Any) -> list[str]:
    low, high = getattr(field, "min_value", None), getattr(field, "max_value", None)
    value = 1 if low is None else max(low, 1)
    if high is not None and value > high:
        value = high
    return [str(value)]


def _regex(field: Any) -> list[str]:
    from codemods.django.regex_sample import regex_sample

    sample = regex_sample(field.regex.pattern)
    return [] if sample is None else [sample]


def _char(field: Any) -> list[str]:
    from django import forms

    if isinstance(field.widget, forms.PasswordInput):
        return [_text(field, SAMPLE_PASSWORD)]
    return [_text(field, SAMPLE_TEXT)]


def _text(field: Any, text: str) -> str:
    low = getattr(field, "min_length", None) or 0
    high = getattr(field, "max_length", None)
    if len(text) < low:
        text = (text * (low // len(text) + 1))[:low]
    return text[:high] if high else text
