"""Which models module defines each model (model_modules.py): the queries rule imports the
generated twin of each module its translations name as `tables.<Model>`."""

from __future__ import annotations

from pathlib import Path

from codemods.django.model_modules import model_modules, relative_module, retarget
from tests.codemods.django.support import write_project

MODEL = "from django.db import models\n\n\nclass {name}(models.Model):\n    pass\n"


def test_each_class_is_found_in_the_module_defining_it_and_user_in_the_shared_base(
    tmp_path: Path,
) -> None:
    root = write_project(
        tmp_path / "forum",
        {
            "topic/models.py": MODEL.format(name="Topic") + "\n\n" + MODEL.format(name="Tag"),
            "category/models.py": MODEL.format(name="Category") + "\n\n" + MODEL.format(name="Tag"),
        },
    )
    labels = {"topic": ("topic", "models.py"), "category": ("category", "models.py")}
    assert model_modules(root, labels) == {
        "Topic": "topic.models",
        "Category": "category.models",
        "User": "models_base",  # two models modules: one shared base holds the auth User
    }  # Tag: two modules define it, it is not guessed


def test_an_import_is_matched_to_the_models_module_it_names() -> None:
    known = {"topic.models", "category.models"}
    assert relative_module("spirit.topic.models", known) == "topic.models"
    assert relative_module("django.contrib.auth.models", known) == "django.contrib.auth.models"


def test_the_models_of_another_module_take_its_name() -> None:
    code = "related(tables.Topic.category, tables.Category.is_removed.is_(False))"
    assert retarget(code, {"Topic": "topic_tables", "Category": "category_tables"}) == (
        "related(topic_tables.Topic.category, category_tables.Category.is_removed.is_(False))"
    )
