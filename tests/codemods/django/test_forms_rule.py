"""The Django forms rule: forms.Form / ModelForm -> Pydantic models validating as Django does."""

from __future__ import annotations

from types import ModuleType, SimpleNamespace
from typing import Any

import pydantic
import pytest

from codemods.django.rules.forms import DjangoFormsRule
from codemods.django.tables.forms import FIELDS, MODEL_FORM_FIELDS
from codemods.engine.findings import Status
from tests.codemods.django.support import convert, load

HEADER = "from django import forms\n\n"


def form(body: str, name: str = "F") -> str:
    lines = "\n".join(f"    {line}" for line in body.strip().splitlines())
    return f"{HEADER}class {name}(forms.Form):\n{lines}\n"


def generated(source: str, name: str, **state: Any) -> ModuleType:
    code, _ = convert(source, [DjangoFormsRule], module_path=("blog", "forms.py"), **state)
    return load(code, name)


def accepts(model: type[pydantic.BaseModel], data: dict[str, Any]) -> bool:
    try:
        model.model_validate(data)
    except pydantic.ValidationError:
        return False
    return True


@pytest.mark.parametrize("kind", sorted(FIELDS))
def test_every_field_type_row(kind: str) -> None:
    options = 'choices=[("a", "A")]' if "Choice" in kind and "Model" not in kind else ""
    options = 'regex="^a+$"' if kind == "RegexField" else options
    code, _ = convert(form(f"f = forms.{kind}({options})"), [DjangoFormsRule])
    expected = FIELDS[kind].python_type.replace("{T}", 'Literal["a"]')
    assert expected in code
    load(code, f"generated_form_field_{kind}")


def test_an_optional_char_field_is_an_empty_string_not_none() -> None:
    module = generated(form("note = forms.CharField(required=False, max_length=5)"), "g_opt")
    assert module.F.model_validate({}).note == ""
    assert module.F.model_validate({"note": "  hi  "}).note == "hi"
    assert not accepts(module.F, {"note": "toolong"})


def test_a_required_char_field_rejects_blank_input_after_stripping() -> None:
    module = generated(form("name = forms.CharField()"), "g_req")
    assert not accepts(module.F, {"name": "   "})
    assert not accepts(module.F, {})


def test_strip_false_keeps_the_spaces() -> None:
    module = generated(form("name = forms.CharField(strip=False)"), "g_nostrip")
    assert module.F.model_validate({"name": " a "}).name == " a "


def test_a_required_checkbox_must_be_ticked() -> None:
    module = generated(form("agree = forms.BooleanField()"), "g_tick")
    assert accepts(module.F, {"agree": "on"})
    assert not accepts(module.F, {"agree": "false"})
    assert not accepts(module.F, {})


def test_an_optional_checkbox_is_false_when_missing() -> None:
    module = generated(form("notify = forms.BooleanField(required=False)"), "g_box")
    assert module.F.model_validate({}).notify is False
    assert module.F.model_validate({"notify": "0"}).notify is False


def test_integer_bounds_and_step_become_constraints() -> None:
    module = generated(
        form("n = forms.IntegerField(min_value=1, max_value=10, step_size=2, required=False)"),
        "g_int",
    )
    assert module.F.model_validate({"n": "4"}).n == 4
    assert module.F.model_validate({"n": ""}).n is None
    assert not accepts(module.F, {"n": "3"}) and not accepts(module.F, {"n": "12"})


def test_choices_become_a_literal() -> None:
    module = generated(form('size = forms.ChoiceField(choices=[("s", "S"), ("l", "L")])'), "g_ch")
    assert accepts(module.F, {"size": "s"}) and not accepts(module.F, {"size": "m"})


def test_clean_field_becomes_a_field_validator_with_django_s_message() -> None:
    module = generated(
        form(
            "name = forms.CharField()\n"
            "def clean_name(self):\n"
            '    name = self.cleaned_data["name"]\n'
            '    if name == "root":\n'
            '        raise forms.ValidationError("Not root.")\n'
            "    return name.title()\n"
        ),
        "g_clean_f",
    )
    assert module.F.model_validate({"name": "ada"}).name == "Ada"
    with pytest.raises(pydantic.ValidationError, match=r"Not root\."):
        module.F.model_validate({"name": "root"})


def test_clean_becomes_a_model_validator_with_django_s_message() -> None:
    module = generated(
        form(
            "a = forms.IntegerField()\nb = forms.IntegerField()\n"
            "def clean(self):\n"
            "    cleaned_data = super().clean()\n"
            '    if cleaned_data.get("a") > cleaned_data.get("b"):\n'
            '        raise forms.ValidationError("a must not exceed b.")\n'
            "    return cleaned_data\n"
        ),
        "g_clean",
    )
    assert accepts(module.F, {"a": "1", "b": "2"})
    with pytest.raises(pydantic.ValidationError, match=r"a must not exceed b\."):
        module.F.model_validate({"a": "3", "b": "2"})


MODELS = """
from django.db import models

class Book(models.Model):
    class Kind(models.TextChoices):
        NOVEL = "novel", "Novel"
        POEM = "poem", "Poem"

    title = models.CharField(max_length=10)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    note = models.TextField(blank=True)
    done = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
"""


def test_model_form_fields_are_taken_from_the_model_in_the_app_s_models_module() -> None:
    source = (
        "from django import forms\n\n"
        "class BookForm(forms.ModelForm):\n    class Meta:\n        model = Book\n"
        '        fields = "__all__"\n'
    )
    module = generated(source, "g_model_form", analysis=SimpleNamespace(models_sources=[MODELS]))
    assert set(module.BookForm.model_fields) == {"title", "kind", "note", "done"}
    assert accepts(module.BookForm, {"title": "Dune", "kind": "novel"})
    assert not accepts(module.BookForm, {"title": "Dune", "kind": "essay"})
    assert not accepts(module.BookForm, {"title": "x" * 11, "kind": "novel"})
    assert module.BookForm.model_validate({"title": "Dune", "kind": "poem"}).note == ""


def test_model_form_fields_and_exclude_choose_the_fields() -> None:
    source = (
        MODELS + "\nfrom django import forms\n\n"
        "class BookForm(forms.ModelForm):\n    class Meta:\n        model = Book\n"
        '        exclude = ["note"]\n'
    )
    code, _ = convert(source, [DjangoFormsRule])
    assert "note:" not in code.split("class BookForm")[1]


def test_model_form_fields_set_optional_in_init_are_optional() -> None:
    source = (
        "from django import forms\n\n"
        "class BookForm(forms.ModelForm):\n    class Meta:\n        model = Book\n"
        '        fields = ["title"]\n'
        "    def __init__(self, *args, **kwargs):\n"
        "        super().__init__(*args, **kwargs)\n"
        '        self.fields["title"].required = False\n'
    )
    module = generated(source, "g_init", analysis=SimpleNamespace(models_sources=[MODELS]))
    assert module.BookForm.model_validate({}).title == ""


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (form("f = forms.SplitDateTimeField()"), "not in the table"),
        (form("f = forms.CharField(validators=[v])"), "validators="),
        (
            HEADER + "class F(forms.ModelForm):\n    class Meta:\n        model = Missing\n",
            "was not found",
        ),
        (form("f = forms.CharField()\ndef __init__(self):\n    self.x = 1"), "__init__"),
        (form("f = forms.CharField()\ndef save(self):\n    pass"), "method save"),
    ],
)
def test_what_cannot_be_expressed_is_partial_with_its_reason(source: str, reason: str) -> None:
    _, findings = convert(source, [DjangoFormsRule])
    assert findings[0].status == Status.partial
    assert any(reason in r for r in findings[0].reasons), findings[0].reasons


def test_every_model_field_has_a_form_field_in_the_table() -> None:
    assert set(MODEL_FORM_FIELDS.values()) <= set(FIELDS)


def test_a_form_base_imported_by_name_is_converted() -> None:
    code, _ = convert(
        "from django.forms import CharField, Form\n\nclass F(Form):\n    name = CharField()\n",
        [DjangoFormsRule],
    )
    assert "class F(BaseModel):" in code


def test_both_rules_run_from_one_registry_on_the_blog_app() -> None:
    from codemods.django.app_facts import read_apps
    from codemods.django.rules.models import DjangoModelsRule
    from tests.codemods.django.support import BLOG

    facts = read_apps(BLOG)
    for module in ("models.py", "forms.py"):
        code, findings = convert(
            (BLOG / "blog" / module).read_text(),
            [DjangoModelsRule, DjangoFormsRule],
            module_path=("blog", module),
            analysis=facts,
        )
        compile(code, module, "exec")
        assert findings and all(f.status in (Status.converted, Status.partial) for f in findings)


SUBCLASSED = """
from django import forms
from django.core.exceptions import ValidationError


class BookForm(forms.ModelForm):
    class Meta:
        model = Book
        fields = ("title", "note")

    def clean_title(self):
        if self.cleaned_data["title"] == "x":
            raise ValidationError("no x")
        return self.cleaned_data["title"]


class LongBookForm(BookForm):
    pages = forms.IntegerField(min_value=100)


class TitleOnlyForm(BookForm):
    class Meta(BookForm.Meta):
        fields = ("title",)
"""


def test_a_subclass_of_a_converted_form_is_converted_on_its_parent() -> None:
    code, _ = convert(
        SUBCLASSED,
        [DjangoFormsRule],
        module_path=("blog", "forms.py"),
        analysis=SimpleNamespace(models_sources=[MODELS]),
    )
    assert "class LongBookForm(BookForm):" in code
    module = load(code, "g_subclassed_form")
    assert set(module.LongBookForm.model_fields) == {"title", "note", "pages"}
    assert accepts(module.LongBookForm, {"title": "Dune", "pages": 400})
    assert not accepts(module.LongBookForm, {"title": "Dune", "pages": 10})
    assert not accepts(module.LongBookForm, {"title": "x", "pages": 400})  # the parent's clean_


def test_a_subclass_narrowing_meta_fields_is_a_model_of_its_own_fields() -> None:
    code, findings = convert(
        SUBCLASSED,
        [DjangoFormsRule],
        module_path=("blog", "forms.py"),
        analysis=SimpleNamespace(models_sources=[MODELS]),
    )
    assert "class TitleOnlyForm(BaseModel):" in code
    module = load(code, "g_narrowed_form")
    assert set(module.TitleOnlyForm.model_fields) == {"title"}
    narrowed = next(f for f in findings if f.target_symbol == "TitleOnlyForm")
    assert any("narrowed by Meta.fields" in reason for reason in narrowed.reasons)


def test_a_form_option_is_a_class_variable_not_a_field() -> None:
    before = form('error_css_class = "error"\nname = forms.CharField()')
    code, _ = convert(before, [DjangoFormsRule])
    assert 'error_css_class: ClassVar = "error"' in code
    module = load(code, "g_form_option")
    assert set(module.F.model_fields) == {"name"}
    assert module.F.error_css_class == "error"


def test_a_model_field_option_naming_a_constant_of_the_model_is_its_value() -> None:
    models = (
        "from django.db import models\n\n"
        "class Note(models.Model):\n"
        "    MAX = 5\n"
        "    text = models.CharField(max_length=MAX)\n"
    )
    source = (
        "from django import forms\n\n"
        "class NoteForm(forms.ModelForm):\n    class Meta:\n        model = Note\n"
        '        fields = ["text"]\n'
    )
    module = generated(source, "g_constant", analysis=SimpleNamespace(models_sources=[models]))
    assert accepts(module.NoteForm, {"text": "short"})
    assert not accepts(module.NoteForm, {"text": "too long"})


def test_a_field_declared_under_a_condition_is_an_optional_field() -> None:
    before = form("if COPIES:\n    cc = forms.CharField()\nname = forms.CharField()")
    code, findings = convert(before, [DjangoFormsRule])
    assert "if COPIES" not in code
    module = load(code, "g_conditional_field")
    assert set(module.F.model_fields) == {"cc", "name"}
    assert accepts(module.F, {"name": "a"})
    assert any("under a condition" in reason for reason in findings[0].reasons)


def test_computed_meta_fields_take_every_field_they_can_name() -> None:
    source = (
        "from django import forms\n\n"
        "class BookForm(forms.ModelForm):\n    class Meta:\n        model = Book\n"
        '        fields = (["note"] if NOTES else []) + ["title"]\n'
    )
    module = generated(source, "g_computed_meta", analysis=SimpleNamespace(models_sources=[MODELS]))
    assert set(module.BookForm.model_fields) == {"note", "title"}
