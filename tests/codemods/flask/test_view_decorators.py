"""The app's own view decorators that work unchanged on the generated routes."""

from codemods.flask.view_decorators import module_decorators

LOGIN_REQUIRED = """
import functools

def login_required(view):
    @functools.wraps(view)
    def wrapped_view(**kwargs):
        return view(**kwargs)
    return wrapped_view
"""

REQUIRE_TABLE = """
from functools import wraps

def require_table(fn):
    @wraps(fn)
    def inner(table, *args, **kwargs):
        if table not in tables():
            abort(404)
        return fn(table, *args, **kwargs)
    return inner
"""

POSITIONAL_ONLY = """
from functools import wraps

def cached(fn):
    @wraps(fn)
    def inner(*args):
        return fn(*args)
    return inner
"""


def test_a_wrapper_passing_keywords_through_is_a_view_decorator() -> None:
    assert module_decorators(LOGIN_REQUIRED) == {"login_required"}


def test_a_wrapper_reading_a_path_parameter_first_is_one_too() -> None:
    assert module_decorators(REQUIRE_TABLE) == {"require_table"}


def test_a_wrapper_taking_no_keywords_is_not() -> None:
    assert module_decorators(POSITIONAL_ONLY) == set()
