"""End to end, on a small project with two models modules: a ModelForm whose clean() and save()
read a related manager of a row the view hands it (`self.topic.post_set.last()`, spirit's
NotificationCreationForm), the related model defined in the other models module, comes out
`converted` and verified by the codemod's own check, and the generated app answers as Django
does: `last()` is the last row of the model's ordering reversed (`-date, -pk`: the oldest
post), the form's error when the topic has no post."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django import pinsite
from tests.codemods.django.support import converted_and_asked

SETTINGS = pinsite.PROJECT["settings.py"].replace(
    '"pinsite.notes",', '"pinsite.topics",\n            "pinsite.notes",'
)
PROJECT = {
    **pinsite.PROJECT,
    "settings.py": SETTINGS,
    "topics/__init__.py": "",
    "topics/models.py": """
        from django.db import models
        from django.utils import timezone


        class Topic(models.Model):
            title = models.CharField(max_length=20)


        class Post(models.Model):
            topic = models.ForeignKey(Topic, on_delete=models.CASCADE)
            text = models.CharField(max_length=20)
            date = models.DateTimeField(default=timezone.now)

            class Meta:
                ordering = ["-date", "-pk"]
        """,
    "notes/models.py": """
        from django.db import models


        class Watch(models.Model):
            topic = models.ForeignKey("topics.Topic", on_delete=models.CASCADE)
            post = models.ForeignKey("topics.Post", on_delete=models.CASCADE)
            label = models.CharField(max_length=20, blank=True)
        """,
    "notes/forms.py": """
        from django import forms

        from .models import Watch


        class WatchForm(forms.ModelForm):
            class Meta:
                model = Watch
                fields = ["label"]

            def __init__(self, topic=None, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.topic = topic

            def clean(self):
                cleaned_data = super().clean()
                if self.topic.post_set.last() is None:
                    raise forms.ValidationError("This topic has no post")
                return cleaned_data

            def save(self, commit=True):
                if not self.instance.pk:
                    self.instance.topic = self.topic
                    self.instance.post = self.topic.post_set.last()
                return super().save(commit)
        """,
    "notes/views.py": """
        from django.shortcuts import get_object_or_404, redirect, render
        from django.views.decorators.csrf import csrf_exempt

        from pinsite.topics.models import Topic

        from .forms import WatchForm


        @csrf_exempt
        def watch(request, pk):
            topic = get_object_or_404(Topic, pk=pk)
            form = WatchForm(topic=topic, data=request.POST or None)
            if request.method == "POST" and form.is_valid():
                form.save()
                return redirect("watch", pk=pk)
            return render(request, "notes/edit.html", {"form": form})
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("<int:pk>/watch/", views.watch, name="watch")]
        """,
    "notes/templates/notes/edit.html": "<form method='post'>{{ form.as_p }}</form>\n",
}
SIDES = (
    pinsite.SIDES_START
    + """from datetime import timedelta

from django.utils import timezone

from pinsite.notes.models import Watch
from pinsite.topics.models import Post, Topic

now = timezone.now()
topic, empty = Topic.objects.create(title="first"), Topic.objects.create(title="empty")
old = Post.objects.create(topic=topic, text="old", date=now - timedelta(days=1))
Post.objects.create(topic=topic, text="new", date=now)
legacy, new = Client(), TestClient(create_app())
found = {"last": topic.post_set.last().pk == old.pk}
some = {"label": "some"}
a, b = legacy.post("/notes/2/watch/", some), new.post("/notes/2/watch/", data=some)
found["no post"] = [a.status_code, b.status_code, a.content.decode() == b.text,
                    "has no post" in b.text]
answer = new.post("/notes/1/watch/", data={"label": "mine"}, follow_redirects=False)
watch = Watch.objects.get()
found["saved"] = [answer.status_code, watch.topic_id, watch.post_id == old.pk, watch.label]
print(json.dumps(found))
"""
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("related")
    found = converted_and_asked(root, "pinsite", PROJECT, pinsite.SETTINGS, SIDES)
    return {**found, "forms": (root / "generated" / "notes" / "forms.py").read_text()}


def test_the_view_with_the_form_reading_a_related_manager_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    entry = converted["routes"]["watch"]
    assert (entry["status"], entry["verified"]) == ("converted", True), entry["reasons"]


def test_the_twin_binds_the_forms_row_and_reads_the_other_models_module(
    converted: dict[str, Any],
) -> None:
    forms = converted["forms"]
    assert "from ..topics import models as topics_tables" in forms
    assert "        topic = self.topic\n" in forms
    assert "select(topics_tables.Post)" in forms
    assert "topics_tables.Post.topic_id == pk_of(topic)" in forms
    assert "reversed_order(" in forms


def test_the_forms_error_for_a_topic_with_no_post_is_django_s(converted: dict[str, Any]) -> None:
    assert converted["sides"]["no post"] == [200, 200, True, True]


def test_save_keys_the_row_to_the_last_post_as_django_orders_it(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["last"] is True
    assert converted["sides"]["saved"] == [302, 1, True, "mine"]
