"""The models rule keeps the names a legacy models module already binds (the tutorial's
`import datetime`, read by a method as `datetime.timedelta`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from codemods.django.rules.models import DjangoModelsRule
from tests.codemods.django.support import convert, load

TUTORIAL_MODELS = """
import datetime

from django.db import models
from django.utils import timezone


class Question(models.Model):
    question_text = models.CharField(max_length=200)
    pub_date = models.DateTimeField("date published")
    created = models.DateTimeField(auto_now_add=True)

    def was_published_recently(self):
        now = timezone.now()
        return now - datetime.timedelta(days=1) <= self.pub_date <= now
"""


def test_a_module_importing_datetime_whole_gets_dotted_datetime_types() -> None:
    code, _ = convert(TUTORIAL_MODELS, [DjangoModelsRule], module_path=("polls", "models.py"))
    assert "from datetime import" not in code
    assert "pub_date: Mapped[datetime.datetime]" in code
    assert "return datetime.datetime.now(datetime.UTC)" in code


def test_its_methods_still_read_the_datetime_module() -> None:
    code, _ = convert(TUTORIAL_MODELS, [DjangoModelsRule], module_path=("polls", "models.py"))
    generated = load(code, "polls_models_with_datetime")
    question = generated.Question(pub_date=datetime.now(UTC) - timedelta(hours=1))
    assert question.was_published_recently() is True


def test_a_module_without_it_imports_the_class() -> None:
    code, _ = convert(
        TUTORIAL_MODELS.replace("import datetime\n", ""),
        [DjangoModelsRule],
        module_path=("polls", "models.py"),
    )
    assert "from datetime import datetime, UTC" in code  # (sorted by the cleanup rule later)
    assert "pub_date: Mapped[datetime]" in code
