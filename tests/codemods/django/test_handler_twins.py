"""A served `View` whose mixin's handler queries through a helper built on the view's class
attributes (handler_twins.py, django-postman's update views): its route serves a twin with the
handler specialized to the view (the helper inlined, the attributes and what they decide folded,
the `Q` local put in where it is read), its queries on the session; the mixins stay as written."""

from __future__ import annotations

from pathlib import Path

from codemods.django.rules.handler_twins import HandlerTwinsRule
from codemods.django.rules.urls import UrlsRule
from codemods.engine.findings import Finding, Status
from tests.codemods.django.support import convert_module, write_project

MODELS = """
    from django.conf import settings
    from django.db import models


    class Message(models.Model):
        recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        recipient_archived = models.BooleanField(default=False)
        read_at = models.DateTimeField(null=True, blank=True)
"""
VIEWS = """
    from django.db.models import Q
    from django.shortcuts import redirect
    from django.utils.timezone import now
    from django.views.generic import View

    from .models import Message


    class UpdateMixin:
        field_value = None

        def post(self, request, *args, **kwargs):
            pks = request.POST.getlist("pks")
            filter = Q(pk__in=pks)
            self._action(request.user, filter)
            return redirect("/")


    class DualMixin(UpdateMixin):
        def _action(self, user, filter):
            (key, value) = ("", not self.field_value) if isinstance(self.field_value, bool) \\
                else ("__isnull", bool(self.field_value))
            Message.objects.filter(filter, recipient=user)\\
                .filter(**{"recipient_{0}{1}".format(self.field_bit, key): value})\\
                .update(**{"recipient_{0}".format(self.field_bit): self.field_value})


    class ArchiveView(DualMixin, View):
        field_bit = "archived"
        field_value = True


    class ReadView(UpdateMixin, View):
        field_bit = "read_at"
        field_value = now()

        def _action(self, user, filter):
            Message.objects.filter(filter, recipient=user)\\
                .filter(**{"{0}__isnull".format(self.field_bit): bool(self.field_value)})\\
                .update(**{self.field_bit: self.field_value})
"""
URLS = """
    from django.urls import path

    from .views import ArchiveView, ReadView

    urlpatterns = [
        path("archive/", ArchiveView.as_view(), name="archive"),
        path("read/", ReadView.as_view(), name="read"),
    ]
"""
FILES = {
    "__init__.py": "",
    "mail/__init__.py": "",
    "mail/models.py": MODELS,
    "mail/views.py": VIEWS,
    "mail/urls.py": URLS,
}
ARCHIVE_TWIN = """

class ArchiveViewOnSession(SessionView, ArchiveView):
    def post(self, request, *args, **kwargs):
        session = self.session
        pks = request.POST.getlist('pks')
        user = request.user
        update_rows(session, select(tables.Message).where(tables.Message.id.in_(pks), \
tables.Message.recipient_id == pk_of(user), tables.Message.recipient_archived.is_(False)), \
**{'recipient_archived': True})
        return redirect('/')
"""  # as the rule writes it (the command formats it after)


def project(tmp_path: Path, **changed: str) -> Path:
    return write_project(tmp_path / "site", {**FILES, **changed})


def routes(root: Path) -> tuple[str, dict[str, Finding]]:
    code, findings = convert_module(root, "mail/urls.py", [UrlsRule])
    return code, {f.details.get("name", ""): f for f in findings if f.kind == "route"}


def views(root: Path) -> str:
    code, _ = convert_module(root, "mail/views.py", [HandlerTwinsRule])
    return code


def test_the_handler_is_specialized_to_the_view_on_the_session(tmp_path: Path) -> None:
    code = views(project(tmp_path))
    assert 'class ArchiveView(DualMixin, View):\n    field_bit = "archived"\n' in code
    assert ARCHIVE_TWIN in code
    assert "from codemods.runtime.django.view_session import SessionView" in code


def test_a_date_time_attribute_is_read_from_the_class_and_decides_as_one(tmp_path: Path) -> None:
    code = views(project(tmp_path))
    assert "class ReadViewOnSession(SessionView, ReadView):" in code
    assert "is_null(tables.Message.read_at, True)" in code  # bool(now()) is True
    assert "**{'read_at': self.field_value}" in code  # the class's value, as the view reads it


def test_the_mixins_stay_as_written(tmp_path: Path) -> None:
    code = views(project(tmp_path))
    assert "        self._action(request.user, filter)\n" in code
    assert "        Message.objects.filter(filter, recipient=user)" in code


def test_the_routes_serve_the_twins_and_are_converted(tmp_path: Path) -> None:
    code, found = routes(project(tmp_path))
    assert [(found[n].status, found[n].reasons) for n in ("archive", "read")] == [
        (Status.converted, []),
        (Status.converted, []),
    ]
    assert "class_view(ArchiveViewOnSession.as_view())" in code


def test_an_attribute_a_method_sets_is_not_folded(tmp_path: Path) -> None:
    changed = VIEWS.replace(
        '            pks = request.POST.getlist("pks")\n',
        '            pks = request.POST.getlist("pks")\n'
        '            self.field_bit = request.GET["f"]\n',
    )
    _, found = routes(project(tmp_path, **{"mail/views.py": changed}))
    assert found["archive"].status == Status.partial
    assert any(
        "its mixins' handlers cannot be specialized to it on the session" in r
        and "a computed key" in r
        for r in found["archive"].reasons
    ), found["archive"].reasons


def test_a_helper_another_method_calls_keeps_the_orm(tmp_path: Path) -> None:
    changed = VIEWS.replace(
        "    class DualMixin(UpdateMixin):\n",
        "    class DualMixin(UpdateMixin):\n"
        "        def archive_all(self, request):\n"
        "            self._action(request.user, self.selected)\n\n",
    )
    _, found = routes(project(tmp_path, **{"mail/views.py": changed}))
    assert found["archive"].status == Status.partial
    assert any(
        "DualMixin._action is also called by DualMixin.archive_all" in r
        for r in found["archive"].reasons
    ), found["archive"].reasons


def test_attributes_given_by_the_urlconf_keep_the_orm(tmp_path: Path) -> None:
    changed = URLS.replace("ArchiveView.as_view()", "ArchiveView.as_view(field_bit='read_at')")
    _, found = routes(project(tmp_path, **{"mail/urls.py": changed}))
    assert found["archive"].status == Status.partial
    assert any("its URLconf gives it attributes" in r for r in found["archive"].reasons)


def test_an_attribute_a_class_before_defines_otherwise_is_not_folded(tmp_path: Path) -> None:
    changed = VIEWS.replace(
        "    class ArchiveView(DualMixin, View):\n",
        "    class ArchiveView(DualMixin, View):\n"
        "        @property\n"
        "        def field_value(self):\n"
        "            return self.request.GET.get('v') == 'on'\n\n",
    ).replace("        field_value = True\n", "")
    _, found = routes(project(tmp_path, **{"mail/views.py": changed}))
    assert found["archive"].status == Status.partial
    assert any("a computed key" in r for r in found["archive"].reasons), found["archive"].reasons
