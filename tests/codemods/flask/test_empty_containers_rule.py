"""The empty-containers rule: empty dict/list literals in functions get an annotation."""

from codemods.flask.rules.empty_containers import EmptyContainersRule
from tests.codemods.support import assert_codemod

RULES = [EmptyContainersRule]


def test_a_tuple_of_empty_dicts_becomes_annotated_assignments() -> None:
    assert_codemod(
        """
        def validate(data):
            values, errors = {}, {}
            items = []
            values = {}
            return values, errors, items
        """,
        """
        from typing import Any
        def validate(data):
            values: dict[Any, Any] = {}
            errors: dict[Any, Any] = {}
            items: list[Any] = []
            values = {}
            return values, errors, items
        """,
        RULES,
    )


def test_module_level_and_non_empty_literals_are_left_alone() -> None:
    source = """
    TABLE = {}

    def f():
        pairs = {1: 2}
        return pairs
    """
    assert_codemod(source, source, RULES)
