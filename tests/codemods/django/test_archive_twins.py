"""The session twin of a list or date-archive view (session_twins.py): django-newsletter's
`SubmissionArchiveIndexView` shape (test_archive_twins_verify.py runs it end to end). The twin
is built on `SelectedDates`, holds its mixin's `queryset` as a `select()`, the newsletter looked
up on the session (the value the overriding `process_url_data` sets inlined) and the mixin's
narrowing `get_queryset` as written; what it cannot follow keeps the ORM, named."""

from __future__ import annotations

from pathlib import Path

from codemods.django.rules.session_twins import SessionTwinsRule
from codemods.django.rules.urls import UrlsRule
from codemods.engine.findings import Finding, Status
from tests.codemods.django.support import convert_module, write_project
from tests.codemods.django.test_archive_twins_verify import PROJECT


def project(tmp_path: Path, **replaced: str) -> Path:
    files = dict(PROJECT)
    for old, new in replaced.items():
        files["news/views.py"] = files["news/views.py"].replace(old, new)
    return write_project(tmp_path / "newssite", files)


def archive(root: Path) -> Finding:
    _, findings = convert_module(root, "news/urls.py", [UrlsRule])
    return next(f for f in findings if f.details.get("name") == "archive")


def test_the_archive_gets_a_twin_on_selected_dates(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "news/views.py", [SessionTwinsRule])
    twin = code[code.index("class SubmissionArchiveIndexViewOnSession") :]
    assert twin.startswith(
        "class SubmissionArchiveIndexViewOnSession(SelectedDates, SubmissionArchiveIndexView):\n"
        "    queryset = ordered(select(tables.Submission).where("
        "tables.Submission.publish.is_(True)))\n"
    )
    assert "tables.Newsletter.visible.is_(True)" in twin  # NewsletterListView's queryset
    assert "related(tables.Newsletter.site, id=self.get_site().id)" in twin
    assert "super(NewsletterMixin, self).process_url_data(request, *args, **kwargs)" in twin
    assert (
        "    def get_queryset(self):\n"
        "        qs = super().get_queryset()\n"
        "        qs = qs.filter(newsletter=self.newsletter)\n"
        "        return qs\n"
    ) in twin
    assert "from codemods.runtime.django.generic import SelectedDates" in code


def test_the_archive_route_serves_the_twin_converted(tmp_path: Path) -> None:
    root = project(tmp_path)
    found = archive(root)
    assert (found.status, found.reasons) == (Status.converted, [])
    urls, _ = convert_module(root, "news/urls.py", [UrlsRule])
    assert "class_view(SubmissionArchiveIndexViewOnSession.as_view(), newsletter_slug=str)" in urls


def test_a_key_set_to_a_value_it_cannot_follow_keeps_the_orm(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        **{"NewsletterListView(request=request).get_queryset()": "self.chosen()"},
    )
    found = archive(root)
    assert found.status == Status.partial
    assert any(
        "SubmissionViewBase.process_url_data() sets kwargs['newsletter_queryset'] to "
        "self.chosen(), which the codemod does not follow" in reason
        for reason in found.reasons
    )


def test_a_get_queryset_narrowing_otherwise_keeps_the_orm(tmp_path: Path) -> None:
    root = project(tmp_path, **{"qs.filter(newsletter=self.newsletter)": "qs.filter(title=self)"})
    assert archive(root).status == Status.partial
