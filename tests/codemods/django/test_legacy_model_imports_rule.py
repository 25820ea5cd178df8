"""Code kept on Django's ORM imports the legacy models, not the generated SQLAlchemy ones."""

from __future__ import annotations

from codemods.django.rules.legacy_models import NOT_IMPORTABLE, LegacyModelImportsRule
from codemods.engine.findings import FindingLog
from codemods.engine.runner import transform_source
from codemods.engine.state import ModuleState
from tests.codemods.django.support import convert

SEARCH_FORMS = """\
from django import forms
from haystack.forms import SearchForm

from ..category.models import Category
from ..core.conf import settings


class AdvancedSearchForm(SearchForm):
    category = forms.ModelMultipleChoiceField(queryset=Category.objects.visible())
"""


def converted(before: str, module: tuple[str, ...], package: str | None = "spirit") -> str:
    code, _ = convert(before, [LegacyModelImportsRule], module_path=module, source_package=package)
    return code


def test_a_model_queried_through_django_s_orm_is_imported_from_the_legacy_module() -> None:
    code = converted(SEARCH_FORMS, ("search", "forms.py"))
    assert "from spirit.category.models import Category\n" in code
    assert "from ..core.conf import settings\n" in code  # not a models module: kept


def test_a_model_not_queried_keeps_its_generated_twin() -> None:
    before = "from .models import Post\n\n\ndef title(post: Post) -> str:\n    return post.title\n"
    assert converted(before, ("blog", "helpers.py")) == before


def test_a_models_module_keeps_its_imports() -> None:
    before = "from ..category.models import Category\n\n\ndef n():\n    return Category.objects\n"
    assert converted(before, ("topic", "models.py")) == before


def test_a_deeper_relative_import_names_the_legacy_package() -> None:
    code = converted(SEARCH_FORMS.replace("..category", "...category"), ("a", "b", "forms.py"))
    assert "from spirit.category.models import Category\n" in code


def test_without_an_importable_package_the_import_is_kept_and_said() -> None:
    state = ModuleState(module_path=("search", "forms.py"), source_package=None)
    code, context = transform_source(SEARCH_FORMS, [LegacyModelImportsRule], state=state)
    assert "from ..category.models import Category" in code
    assert NOT_IMPORTABLE in FindingLog.of(context).module_notes
