"""The class-views rule on `CreateView`/`UpdateView` (form_views.py): a view whose ModelForm gets
a twin becomes `SelectedForm` with the twin as its `form_class`, keeping a `form_valid` that sets
fields from the request's user; anything else keeps Django's ORM, its route saying why."""

from __future__ import annotations

from pathlib import Path

from codemods.django.rules.class_views import ClassViewsRule
from codemods.engine.findings import Status
from tests.codemods.django.support import convert_module, routes_of, write_project

MODELS = """
    from django.conf import settings
    from django.db import models


    class Note(models.Model):
        title = models.CharField(max_length=20)
        owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
"""
FORMS = """
    from django import forms

    from .models import Note


    class NoteForm(forms.ModelForm):
        class Meta:
            model = Note
            fields = ["title"]
"""
VIEW = """
    from django.views.generic import CreateView

    from .forms import NoteForm


    class NoteCreate(CreateView):
        form_class = NoteForm
        template_name = "app/edit.html"
        success_url = "/"
{extra}
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [path("new/", views.NoteCreate.as_view(), name="create")]
"""


def _project(root: Path, extra: str = "") -> Path:
    return write_project(
        root,
        {
            "app/__init__.py": "",
            "app/models.py": MODELS,
            "app/forms.py": FORMS,
            "app/views.py": VIEW.format(extra=extra),
            "app/urls.py": URLS,
            "app/templates/app/edit.html": "<form method='post'>{{ form }}</form>\n",
        },
    )


SETS_USER = """
        def form_valid(self, form):
            form.instance.owner = self.request.user
            return super().form_valid(form)
"""


def test_a_form_valid_setting_the_user_stays_and_the_form_becomes_its_twin(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path, SETS_USER)
    code, _ = convert_module(root, "app/views.py", [ClassViewsRule])
    assert "class NoteCreate(SelectedForm, CreateView):" in code
    assert "form_class = NoteFormWithSession" in code
    assert "from .forms import NoteFormWithSession" in code
    assert "form.instance.owner = self.request.user" in code
    assert routes_of(root)["create"].status is Status.converted


def test_a_form_valid_doing_more_keeps_the_orm_naming_it(tmp_path: Path) -> None:
    extra = SETS_USER.replace("self.request.user\n", "self.request.user\n            form.save()\n")
    root = _project(tmp_path, extra)
    create = routes_of(root)["create"]
    assert create.status is Status.partial
    assert any("form_valid() is overridden" in reason for reason in create.reasons)


def test_no_success_url_and_no_absolute_url_on_the_row_keeps_the_orm(tmp_path: Path) -> None:
    root = _project(tmp_path)
    views = root / "app/views.py"
    views.write_text(views.read_text().replace('    success_url = "/"\n', ""))
    create = routes_of(root)["create"]
    assert create.status is Status.partial
    assert any("no success_url" in reason for reason in create.reasons)


def test_a_form_of_all_fields_is_read_as_the_model_s_editable_fields(tmp_path: Path) -> None:
    root = _project(tmp_path)
    forms = root / "app/forms.py"
    forms.write_text(forms.read_text().replace('fields = ["title"]', 'fields = "__all__"'))
    code, _ = convert_module(root, "app/forms.py")

    assert "    title: Annotated[" in code and "    owner: Annotated[int, " in code
    assert '"owner": lambda form: select(tables.User)' in code


def test_all_fields_over_a_wrapped_field_keeps_the_orm_naming_it(tmp_path: Path) -> None:
    root = _project(tmp_path)
    forms, models = root / "app/forms.py", root / "app/models.py"
    forms.write_text(forms.read_text().replace('fields = ["title"]', 'fields = "__all__"'))
    models.write_text(
        models.read_text().replace(
            "models.CharField(max_length=20)", "encrypt(models.CharField(max_length=20))"
        )
    )
    reasons = routes_of(root)["create"].reasons
    assert any("include title, a field wrapped in a call" in reason for reason in reasons)


def test_a_mixin_of_src_defining_get_success_url_keeps_the_orm_naming_it(tmp_path: Path) -> None:
    root = _project(tmp_path)
    views = root / "app/views.py"
    views.write_text(
        views.read_text().replace(
            "class NoteCreate(CreateView):",
            "class Back:\n    def get_success_url(self):\n        return '/back/'\n\n\n"
            "class NoteCreate(Back, CreateView):",
        )
    )
    reasons = routes_of(root)["create"].reasons
    assert any("its base Back defines get_success_url()" in reason for reason in reasons)
