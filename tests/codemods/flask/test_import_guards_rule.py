"""The import-guards rule: guarded Flask imports become plain imports (before/after)."""

from codemods.flask.rules.import_guards import ImportGuardsRule
from tests.codemods.support import assert_codemod, convert

RULES = [ImportGuardsRule]


def test_a_flask_import_guarded_by_an_import_error_that_only_raises_is_unwrapped() -> None:
    assert_codemod(
        """
        import os

        try:
            from flask import (
                Flask, request, Response)
        except ImportError:
            raise RuntimeError('Unable to import flask module.')
        """,
        """
        import os

        from flask import (
            Flask, request, Response)
        """,
        RULES,
    )


def test_a_guard_doing_more_than_raising_is_left_alone() -> None:
    legacy = "try:\n    from flask import Flask\nexcept ImportError:\n    Flask = None\n"
    code, _, _ = convert(legacy, RULES)
    assert code == legacy


def test_a_guard_around_other_packages_is_left_alone() -> None:
    legacy = (
        "try:\n    from markupsafe import Markup\n"
        "except ImportError:\n    raise RuntimeError('pip install markupsafe')\n"
    )
    code, _, _ = convert(legacy, RULES)
    assert code == legacy
