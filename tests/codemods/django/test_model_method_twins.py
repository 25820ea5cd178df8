"""Model methods that query or write (`topic.increase_view_count()`, `Event.record(...)`):
the generated SQLAlchemy class gets a translated twin beside the legacy method
(`<name>_with_session`, taking the session as a keyword), and a view calling the method calls
the twin; a method that cannot be translated faithfully keeps its caller `partial`, named."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.plans import plan
from tests.codemods.django.support import convert_module, project_analysis, write_project

URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("<int:pk>/", views.detail),
        path("<int:pk>/once/", views.once),
        path("<int:pk>/safely/", views.safely),
        path("<int:pk>/bulk/", views.bulk),
        path("<int:pk>/last/", views.last),
        path("latest/", views.latest),
    ]
"""
MODELS = """
    from django.db import models
    from django.db.models import F

    from .utils import create_or_none


    class Topic(models.Model):
        title = models.CharField(max_length=50)
        view_count = models.PositiveIntegerField(default=0)

        def increase_view_count(self):
            Topic.objects.filter(pk=self.pk).update(view_count=F("view_count") + 1)


    class Event(models.Model):
        topic = models.ForeignKey(Topic, on_delete=models.CASCADE)
        action = models.IntegerField(default=0)

        @classmethod
        def record(cls, topic, action):
            return cls.objects.create(topic=topic, action=action)

        @classmethod
        def record_once(cls, topic):
            return cls.objects.get_or_create(topic=topic, defaults={"action": 1})

        @classmethod
        def bulk(cls, topic):
            return cls.objects.bulk_create([cls(topic=topic)])

        @classmethod
        def record_safely(cls, topic):
            return create_or_none(cls, topic=topic)
"""
UTILS = """
    from django.db import IntegrityError, transaction


    def create_or_none(model, **fields):
        try:
            with transaction.atomic():
                return model.objects.create(**fields)
        except IntegrityError:
            return None
"""
VIEWS = """
    from django.http import JsonResponse
    from django.shortcuts import get_object_or_404

    from .models import Event, Topic


    def detail(request, pk):
        topic = get_object_or_404(Topic, pk=pk)
        topic.increase_view_count()
        Event.record(topic=topic, action=2)
        return JsonResponse({"title": topic.title})


    def once(request, pk):
        topic = get_object_or_404(Topic, pk=pk)
        Event.record_once(topic)
        return JsonResponse({})


    def safely(request, pk):
        topic = get_object_or_404(Topic, pk=pk)
        Event.record_safely(topic)
        return JsonResponse({})


    def bulk(request, pk):
        topic = get_object_or_404(Topic, pk=pk)
        Event.bulk(topic)
        return JsonResponse({})


    def last(request, pk):
        topic = get_object_or_404(Topic, pk=pk)
        Event.record(topic=topic, action=topic.event_set.last().action)
        return JsonResponse({})


    def latest(request):
        Event.record(topic=Topic.objects.last(), action=1)
        return JsonResponse({})
"""


def project(tmp_path: Path) -> Path:
    files = {
        "__init__.py": "",
        "forum/__init__.py": "",
        "forum/urls.py": URLS,
        "forum/models.py": MODELS,
        "forum/utils.py": UTILS,
        "forum/views.py": VIEWS,
    }
    return write_project(tmp_path / "site", files)


def route(root: Path, view: str) -> tuple[str, list[str]]:
    analysis = project_analysis(root)
    found = next(p for p in analysis.patterns if p.view.name == view)
    result = plan(analysis, found)
    return str(result.status), result.reasons


def test_a_view_calling_model_methods_whose_queries_translate_is_converted(
    tmp_path: Path,
) -> None:
    assert route(project(tmp_path), "detail") == ("converted", [])


def test_the_view_calls_the_twins_with_its_session(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "forum/views.py")

    assert (
        dedent(
            """
            @django_view
            def detail(request: DjangoRequest, pk: int, session: Session = Depends(get_session)):
                topic = get_or_404(session, select(tables.Topic).where(tables.Topic.id == pk))
                topic.increase_view_count_with_session(session=session)
                tables.Event.record_with_session(topic=topic, action=2, session=session)
                return JsonResponse({"title": topic.title})
            """
        )
        in code
    )


def test_a_model_method_given_one_row_of_a_query_is_converted(tmp_path: Path) -> None:
    assert route(project(tmp_path), "latest") == ("converted", [])


def test_the_twin_is_given_the_translated_row(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "forum/views.py")

    assert (
        "tables.Event.record_with_session(topic=session.scalars(reversed_order(ordered("
        "select(tables.Topic), by_pk=True)).limit(1)).first(), action=1, session=session)"
    ) in code


def test_an_f_increment_s_twin_is_one_update_adding_in_the_database(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "forum/models.py")

    assert (
        "    def increase_view_count(self):\n"
        '        Topic.objects.filter(pk=self.pk).update(view_count=F("view_count") + 1)\n'
        "\n"
        "    def increase_view_count_with_session(self, *, session: Session):\n"
        "        update_rows(session, select(Topic).where(Topic.id == self.pk), "
        "view_count=Topic.view_count + 1)\n"
    ) in code


def test_a_classmethod_s_twin_stays_a_classmethod_beside_the_legacy_one(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "forum/models.py")

    assert (
        "    @classmethod\n"
        "    def record_with_session(cls, topic, action, *, session: Session):\n"
        "        return create(session, Event, topic=topic, action=action)\n"
    ) in code
    assert "def bulk_with_session" not in code


def test_a_get_or_create_method_s_twin_keeps_django_s_integrity_error_handling(
    tmp_path: Path,
) -> None:
    root = project(tmp_path)
    code, _ = convert_module(root, "forum/models.py")

    assert route(root, "once") == ("converted", [])
    assert (
        "    @classmethod\n"
        "    def record_once_with_session(cls, topic, *, session: Session):\n"
        "        return get_or_create(session, select(Event).where("
        "Event.topic_id == pk_of(topic)), topic=topic, action=1)\n"
    ) in code


def test_a_method_outside_the_mapping_keeps_its_caller_on_the_orm_naming_it(
    tmp_path: Path,
) -> None:
    status, why = route(project(tmp_path), "bulk")

    assert status == "partial"
    assert (
        "stays on Django's ORM: bulk: Event.bulk: a model method with no translated "
        "twin: .bulk_create() is not in the query mapping"
    ) in why


def test_a_method_handing_its_model_to_a_helper_of_src_keeps_its_caller_on_the_orm(
    tmp_path: Path,
) -> None:
    status, why = route(project(tmp_path), "safely")

    assert status == "partial"
    assert (
        "stays on Django's ORM: safely: Event.record_safely: a model method with no translated "
        "twin: it calls create_or_none(), which may query on Django's ORM"
    ) in why


def test_a_model_with_a_signal_receiver_gets_no_twin(tmp_path: Path) -> None:
    root = project(tmp_path)
    signals = "\n\n@receiver(post_save, sender=Event)\ndef saved(sender, **kwargs):\n    pass\n"
    models = root / "forum" / "models.py"
    models.write_text(
        "from django.db.models.signals import post_save\nfrom django.dispatch import receiver\n"
        + models.read_text(encoding="utf-8")
        + signals,
        encoding="utf-8",
    )

    status, why = route(root, "detail")

    assert status == "partial"
    assert (
        "stays on Django's ORM: detail: Event.record: a model method with no translated twin: "
        "a signal receiver is connected for Event (sender=Event)"
    ) in why


def test_what_the_method_s_arguments_leave_on_the_orm_keeps_its_caller_there(
    tmp_path: Path,
) -> None:
    status, why = route(project(tmp_path), "last")

    assert status == "partial"
    assert any("topic.event_set.last()" in reason for reason in why), why
