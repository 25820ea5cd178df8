"""Custom QuerySet methods whose body branches (`if <condition>: return <chain>` before the last
`return`): each branch is translated, and the condition is kept, evaluated when the query runs
(queryset_methods.py reads them, querysets.py writes them)."""

from __future__ import annotations

import libcst as cst
import pytest

from codemods.django.model_relations import read_relations
from codemods.django.queryset_methods import read_queryset_methods
from codemods.django.querysets import Scope, Unconvertible, instance_model, statement_of, translate

MANAGERS = '''
from django.db import models

from spirit.core.conf import settings

LIMIT = 3


class CategoryQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(is_removed=False)

    def children(self, parent):
        """Subcategories have no children."""
        if parent.is_subcategory:
            return self.none()

        return self.filter(parent=parent)

    def ordered(self):
        if settings.ST_ORDERED_CATEGORIES:
            return self.order_by("sort", "pk")
        return self.order_by("title", "pk")

    def by_kind(self, kind):
        if kind == "open":
            return self.filter(is_closed=False)
        elif kind == "closed":
            return self.filter(is_closed=True)
        else:
            return self

    def limited(self):
        if LIMIT:
            return self.filter(is_closed=False)
        return self
'''

MODELS = """
from django.db import models

from .managers import CategoryQuerySet


class Category(models.Model):
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)
    is_removed = models.BooleanField(default=False)
    is_closed = models.BooleanField(default=False)
    objects = CategoryQuerySet.as_manager()
"""

NAMES = frozenset({"Category"})
TABLE = "tables.Category"


def scope() -> Scope:
    return Scope(methods=read_queryset_methods([MODELS, MANAGERS]))


def translated(queryset: str) -> tuple[str, set[tuple[str, str]]]:
    relations = read_relations([MODELS])
    found = translate(cst.parse_expression(queryset), NAMES, relations, scope())
    return found.code, found.imports


def test_a_branch_on_a_parameter_gives_each_chain_chosen_when_the_query_runs() -> None:
    code, _ = translated("Category.objects.children(parent=category)")
    assert code == (
        f"(session.scalars(ordered(select({TABLE}).where(false()))).all() "
        f"if category.is_subcategory else "
        f"session.scalars(ordered(select({TABLE}).where({TABLE}.parent_id == pk_of(category))))"
        ".all())"
    )


def test_none_selects_no_row() -> None:
    code, imports = translated("Category.objects.none().count()")
    assert "where(false())" in code
    assert ("sqlalchemy", "false") in imports


def test_a_branch_on_an_imported_setting_reads_it_when_the_query_runs() -> None:
    code, imports = translated("Category.objects.visible().ordered()")
    assert code == (
        f"(session.scalars(select({TABLE}).where({TABLE}.is_removed.is_(False))"
        f".order_by({TABLE}.sort, {TABLE}.id)).all() "
        f"if settings.ST_ORDERED_CATEGORIES else "
        f"session.scalars(select({TABLE}).where({TABLE}.is_removed.is_(False))"
        f".order_by({TABLE}.title, {TABLE}.id)).all())"
    )
    assert ("spirit.core.conf", "settings") in imports


def test_elif_and_else_branches_are_tested_in_order() -> None:
    code, _ = translated('Category.objects.by_kind(request.GET["kind"]).count()')
    assert code.count(" if ") == 2
    first, rest = code.split(' if request.GET["kind"] == "open" else ', 1)
    assert first.endswith("is_closed.is_(False)).subquery()))")
    assert rest.split(' if request.GET["kind"] == "closed" else ')[0].endswith(
        "is_closed.is_(True)).subquery()))"
    )


def test_two_branching_methods_in_one_chain_give_each_combination() -> None:
    code, _ = translated("Category.objects.children(parent=c).ordered()")
    assert code.count(" if c.is_subcategory else ") == 1
    assert code.count(" if settings.ST_ORDERED_CATEGORIES else ") == 2


def test_a_queryset_variable_holds_the_statement_of_each_branch() -> None:
    relations = read_relations([MODELS])
    node = cst.parse_expression("Category.objects.ordered()")
    model, found = statement_of(node, NAMES, relations, scope())
    assert model == "Category"
    assert found.code == (
        f"(select({TABLE}).order_by({TABLE}.sort, {TABLE}.id) "
        f"if settings.ST_ORDERED_CATEGORIES else "
        f"select({TABLE}).order_by({TABLE}.title, {TABLE}.id))"
    )


def test_the_model_of_one_row_of_a_branching_chain_is_known() -> None:
    relations = read_relations([MODELS])
    node = cst.parse_expression("Category.objects.ordered().first()")
    assert instance_model(node, NAMES, relations, scope()) == "Category"


def test_a_branch_on_a_name_the_module_does_not_import_stays_on_the_orm() -> None:
    assert "limited" not in read_queryset_methods([MODELS, MANAGERS])["Category"].methods
    with pytest.raises(Unconvertible, match="a name its module does not import"):
        translated("Category.objects.limited()")


def test_a_branch_on_the_queryset_itself_stays_on_the_orm() -> None:
    on_self = MANAGERS + (
        "\n\nclass Other(models.QuerySet):\n"
        "    def odd(self):\n"
        "        if self.exists():\n"
        "            return self\n"
        "        return self.none()\n"
        "\n"
        "    def plain(self):\n"
        "        return self\n"
    )
    models = MODELS.replace("CategoryQuerySet.as_manager()", "Other.as_manager()")
    assert list(read_queryset_methods([models, on_self])["Category"].methods) == ["plain"]


def test_a_condition_on_an_argument_that_calls_stays_on_the_orm() -> None:
    with pytest.raises(Unconvertible, match="would call parent's value again"):
        translated("Category.objects.children(parent=current(request))")


PREFETCHING = """
from django.db import models
from django.db.models import Prefetch


class CategoryQuerySet(models.QuerySet):
    def with_marks(self, user):
        if not user.is_authenticated:
            return self
        marks = Mark.objects.filter(user=user)
        return self.prefetch_related(Prefetch("mark_set", queryset=marks, to_attr="marks"))

    def busy(self):
        found = self.filter(is_closed=False)
        size = len(found)
        return found[:size]

    def several(self):
        self.filter(is_closed=False).update(is_closed=True)
        return self
"""


@pytest.mark.parametrize(
    ("queryset", "why"),
    [
        # Mark is not imported by the module: the chain names something unknown
        ("Category.objects.with_marks(user=u)", "names something of its module other than Q"),
        ("Category.objects.busy()", "a local of its body holds something other than a queryset"),
        ("Category.objects.several()", "its body does more than return a chain"),
    ],
)
def test_a_method_not_read_gives_its_reason(queryset: str, why: str) -> None:
    methods = read_queryset_methods([MODELS, PREFETCHING])
    with pytest.raises(Unconvertible, match=why):
        translate(
            cst.parse_expression(queryset), NAMES, read_relations([MODELS]), Scope(methods=methods)
        )
