"""A generic view's own `delete()` (or `post()`, ...) that SQLAlchemy rows can run: it reads its
object only for what the generated row has as Django's instance has it, touches no other ORM,
and hands on to Django's method last (row_overrides.py)."""

from __future__ import annotations

import ast
import textwrap

from codemods.django.row_overrides import override_problem
from codemods.django.template_reads import ModelFacts

FACTS = ModelFacts(columns={"pk", "id", "host", "alias"}, methods={"is_upload", "local_name"})
MODELS = frozenset({"DatabaseConnection"})


def problem(code: str, facts: ModelFacts | None = FACTS) -> str | None:
    function = ast.parse(textwrap.dedent(code)).body[0]
    assert isinstance(function, ast.FunctionDef)
    return override_problem(function, MODELS, facts)


EXPLORER = """
    def delete(self, request, *args, **kwargs):
        connection = self.get_object()
        if connection.is_upload:
            delete_from_s3(connection.host)
        return super().delete(request, *args, **kwargs)
    """


def test_reading_columns_and_kept_properties_then_handing_on_runs_on_rows() -> None:
    assert problem(EXPLORER) is None


def test_an_override_not_handing_on_to_djangos_method_keeps_djangos_objects() -> None:
    code = """
        def delete(self, request, *args, **kwargs):
            connection = self.get_object()
            return redirect("/")
        """
    assert problem(code) == "delete() is overridden: it may use the objects as Django's"


def test_the_object_passed_whole_to_a_function_keeps_djangos_objects() -> None:
    code = """
        def delete(self, request, *args, **kwargs):
            connection = self.get_object()
            forget(connection)
            return super().delete(request, *args, **kwargs)
        """
    assert problem(code) == "delete() is overridden: it reads forget(connection)"


def test_a_read_the_row_does_not_have_keeps_djangos_objects() -> None:
    code = """
        def delete(self, request, *args, **kwargs):
            connection = self.get_object()
            names = connection.query_set
            return super().delete(request, *args, **kwargs)
        """
    assert problem(code) == "delete() is overridden: it reads connection.query_set"


def test_calling_a_column_or_a_querying_method_keeps_djangos_objects() -> None:
    code = """
        def delete(self, request, *args, **kwargs):
            connection = self.get_object()
            connection.save()
            return super().delete(request, *args, **kwargs)
        """
    assert problem(code) == "delete() is overridden: it may use the objects as Django's"
    code = code.replace("connection.save()", "connection.alias()")
    assert problem(code) == "delete() is overridden: it calls connection.alias()"


def test_a_model_named_in_the_override_keeps_djangos_objects() -> None:
    code = """
        def delete(self, request, *args, **kwargs):
            DatabaseConnection.objects.filter(default=True).update(default=False)
            return super().delete(request, *args, **kwargs)
        """
    assert problem(code) == "delete() is overridden: it may use the objects as Django's"


def test_self_object_keeps_djangos_objects() -> None:
    code = """
        def post(self, request, *args, **kwargs):
            self.object = self.get_object()
            return super().post(request, *args, **kwargs)
        """
    assert problem(code) == "post() is overridden: it may use the objects as Django's"


def test_an_unknown_model_keeps_djangos_objects() -> None:
    assert problem(EXPLORER, facts=None) is not None
