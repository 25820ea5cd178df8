"""A file field read on a row in a converted function (view_queries.py): `row.file.path` is
Django's FieldFile of the row's stored name (`field_file`, runtime field_files.py), and a call on
an imported module (`os.remove(path)`) is no ORM method (django-todo's
`remove_attachment_file`)."""

from __future__ import annotations

from pathlib import Path

from codemods.django.rules.queries import DjangoQueriesRule
from tests.codemods.django.support import convert_module, write_project
from tests.codemods.django.test_bound_class_views import planned

URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [path("remove/<int:pk>/", views.remove, name="remove")]
"""
MODELS = """
    from django.db import models


    class Attachment(models.Model):
        title = models.CharField(max_length=20)
        file = models.FileField(upload_to="attachments")
"""
VIEWS = """
    import os

    from django.http import HttpResponse

    from .models import Attachment


    def remove(request, pk):
        attachment = Attachment.objects.get(pk=pk)
        if attachment.file and os.path.isfile(attachment.file.path):
            os.remove(attachment.file.path)
        attachment.delete()
        return HttpResponse("gone")
"""


def project(tmp_path: Path, views: str = VIEWS) -> Path:
    files = {
        "__init__.py": "",
        "files/__init__.py": "",
        "files/urls.py": URLS,
        "files/models.py": MODELS,
        "files/views.py": views,
    }
    return write_project(tmp_path / "site", files)


def test_a_file_fields_path_is_djangos_fieldfile_of_the_rows_name(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "files/views.py", [DjangoQueriesRule])

    assert 'os.path.isfile(field_file(Attachment, "file", attachment.file).path)' in code
    assert 'os.remove(field_file(Attachment, "file", attachment.file).path)' in code
    assert "if attachment.file and" in code  # the name's truth is the FieldFile's
    assert "from codemods.runtime.django.field_files import field_file" in code


def test_the_route_converts_with_os_remove_no_orm_method(tmp_path: Path) -> None:
    # before: "os.remove(): a Django queryset, related manager or model method"
    assert planned(project(tmp_path), "remove") == ("converted", [])


def test_a_row_of_a_model_the_module_does_not_name_keeps_the_reason(tmp_path: Path) -> None:
    views = VIEWS.replace("from .models import Attachment\n", "from . import models\n")
    views = views.replace("Attachment.objects", "models.Attachment.objects")
    status, reasons = planned(project(tmp_path, views), "remove")

    assert status == "partial"
    assert (
        "stays on Django's ORM: remove: attachment.file.path: Django's FieldFile, of a row whose "
        "legacy model the module does not name (the row holds the file's name)"
    ) in reasons
