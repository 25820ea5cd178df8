"""A project with more than one models module: its generated models share one declarative base
(`models_base.py` at the output's root, with django.contrib.auth's User once), so a foreign key
to a model of another models module is a ForeignKey + relationship read as Django reads it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from codemods.django.model_relations import read_relations
from codemods.django.rules.app import create_app_code
from codemods.django.rules.models import DjangoModelsRule
from codemods.django.template_reads import read_models
from proxy.cli import app
from tests.codemods.django.support import convert_module, project_analysis, write_project
from tests.codemods.support import REPO_ROOT

CATEGORY = """
    from django.db import models


    class Category(models.Model):
        title = models.CharField(max_length=75)
"""
TOPIC = """
    from django.conf import settings
    from django.db import models


    class Topic(models.Model):
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        category = models.ForeignKey(
            "forum_category.Category", on_delete=models.CASCADE, related_name="topics"
        )
        title = models.CharField(max_length=255)


    class Category(models.Model):
        name = models.CharField(max_length=20)
"""
SETTINGS = """
    import os
    SECRET_KEY = "test"
    INSTALLED_APPS = [
        "django.contrib.contenttypes", "django.contrib.auth", "forum.category", "forum.topic"
    ]
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["DB"]}}
    USE_TZ = True
"""


def apps_module(name: str, label: str) -> str:
    return (
        "from django.apps import AppConfig\n\n\n"
        f"class Config(AppConfig):\n    name = {name!r}\n    label = {label!r}\n"
    )


@pytest.fixture
def forum(tmp_path: Path) -> Path:
    return write_project(
        tmp_path / "legacy" / "forum",
        {
            "__init__.py": "",
            "settings.py": SETTINGS,
            "category/__init__.py": "",
            "category/apps.py": apps_module("forum.category", "forum_category"),
            "category/models.py": CATEGORY,
            "topic/__init__.py": "",
            "topic/apps.py": apps_module("forum.topic", "forum_topic"),
            "topic/models.py": TOPIC,
        },
    )


def test_a_foreign_key_to_another_models_module_is_a_relationship(forum: Path) -> None:
    code, findings = convert_module(forum, "topic/models.py", [DjangoModelsRule])
    assert "from ..category import models as category_models" in code
    assert "from ..models_base import Base, User" in code
    assert 'ForeignKey("forum_category_category.id")' in code
    assert "lambda: category_models.Category," in code
    assert 'backref=backref("topics"' in code
    assert "class Base(" not in code and "class User(" not in code
    topic = next(f for f in findings if f.symbol == "Topic")
    assert (topic.status.value, topic.reasons) == ("converted", [])


POLL = """
    from django.db import models
    from forum.category.models import Category
    from forum.topic.models import Topic


    class Poll(models.Model):
        topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="polls")
        category = models.ForeignKey(to=Category, on_delete=models.CASCADE)
"""


def test_a_foreign_key_to_a_class_imported_from_the_models_module_defining_it_is_mapped(
    forum: Path,
) -> None:
    write_project(forum, {"poll/__init__.py": "", "poll/models.py": POLL})
    code, _ = convert_module(forum, "poll/models.py", [DjangoModelsRule])
    assert "from ..topic import models as topic_models" in code
    assert 'ForeignKey("forum_topic_topic.id")' in code
    assert "lambda: topic_models.Topic," in code
    sources = [(forum / m).read_text() for m in ("topic/models.py", "poll/models.py")]
    sources.append((forum / "category/models.py").read_text())
    relations = read_relations(sources)
    assert relations["Poll"]["topic"].mapped
    # two models modules define a Category: neither the rule nor the checks guess which
    assert not relations["Poll"]["category"].mapped
    assert "category_id: Mapped[int] = mapped_column(BigInteger, index=True)" in code


def test_the_models_of_the_module_itself_are_related_by_class(forum: Path) -> None:
    code, _ = convert_module(forum, "topic/models.py", [DjangoModelsRule])
    assert "relationship(lambda: User, foreign_keys=[user_id])" in code


def test_the_relation_is_mapped_for_the_queries_and_template_checks(forum: Path) -> None:
    sources = [(forum / m).read_text() for m in ("category/models.py", "topic/models.py")]
    relations = read_relations(sources)
    assert relations["Topic"]["category"].mapped
    facts = read_models(sources, relations)
    assert facts["Topic"].to_one == {"user": "User", "category": "Category"}
    assert "topic_set" not in facts["User"].to_many


def generate(forum: Path, out: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["codemod", "django", str(forum), "--out", str(out), "--only", "django_models",
         "--no-verify"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_the_developer_guide_shows_the_generated_relationship(forum: Path, tmp_path: Path) -> None:
    generate(forum, tmp_path / "out" / "forum")
    page = (REPO_ROOT / "docs" / "developer.md").read_text(encoding="utf-8")
    section = page[page.index("A project with more than one models module gets one") :]
    example = section[section.index("```python\n") + 10 : section.index("```\n", 10)]
    generated = (tmp_path / "out" / "forum" / "topic" / "models.py").read_text(encoding="utf-8")
    lines = {line.strip() for line in generated.splitlines()}
    assert [line for line in example.splitlines() if line.strip() not in lines | {"..."}] == []


def test_rows_django_wrote_are_read_through_the_relationship(forum: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "forum"
    generate(forum, out)
    database = tmp_path / "forum.sqlite3"
    script = dedent(
        """
        import django
        django.setup()
        from django.core.management import call_command
        call_command("migrate", run_syncdb=True, verbosity=0)
        from django.contrib.auth.models import User
        from forum.category.models import Category
        from forum.topic.models import Topic
        category = Category.objects.create(title="News")
        user = User.objects.create_user("ada", password="pw-123456")
        Topic.objects.create(user=user, category=category, title="Hello")
        print(Topic.objects.get().category.title)
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "forum.settings", "DB": str(database)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=forum.parent, env=env, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    sys.path.insert(0, str(out.parent))
    try:
        from forum.topic import models as generated  # type: ignore[import-not-found]

        with Session(create_engine(f"sqlite:///{database}")) as session:
            topic = session.scalars(select(generated.Topic)).one()
            assert topic.category.title == done.stdout.strip() == "News"
            assert topic.user.username == "ada"
            assert [t.title for t in topic.category.topics] == ["Hello"]
    finally:
        sys.path.remove(str(out.parent))
        for name in [m for m in sys.modules if m == "forum" or m.startswith("forum.")]:
            del sys.modules[name]


def test_create_app_imports_every_models_module_sharing_the_base(forum: Path) -> None:
    # a backref (`category.topics`) is on Category once topic's module is imported
    code = create_app_code(project_analysis(forum))
    assert "for models in ('category.models', 'topic.models',):" in code
    assert 'import_module(f".{models}", __name__)' in code
