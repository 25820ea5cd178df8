"""What a view reads of its submission, from its code (post_reads.py): the keys it takes from
`request.POST` itself, the forms it builds on the whole of it, and for a key it compares with a
model's field or gives a new row, that field."""

from __future__ import annotations

import ast
import textwrap

from codemods.django.post_reads import post_reads

MODELS = {"Connection", "Query"}


def reads(code: str) -> tuple[dict[str, str | None], tuple[str, ...]]:
    found = post_reads(ast.parse(textwrap.dedent(code)), MODELS)
    return found.keys, found.forms


def test_a_subscripted_key_is_read() -> None:
    keys, _ = reads("def post(self, request):\n    name = request.POST['alias']\n")
    assert keys == {"alias": None}


def test_keys_read_by_get_getlist_and_in_are_read() -> None:
    code = """
        def view(request):
            a = request.POST.get("append")
            b = request.POST.getlist("tags")
            if "confirm" in self.request.POST:
                pass
        """
    keys, _ = reads(code)
    assert keys == {"append": None, "tags": None, "confirm": None}


def test_a_key_named_by_a_variable_is_not_read() -> None:
    keys, _ = reads("def view(request, name):\n    request.POST[name]\n")
    assert keys == {}


def test_a_form_built_on_the_submission_is_named() -> None:
    code = """
        def post(self, request):
            form = ConnectionForm(request.POST)
            other = OtherForm(data=request.POST, instance=None)
            unbound = ThirdForm(initial={})
        """
    _, forms = reads(code)
    assert forms == ("ConnectionForm", "OtherForm")


def test_a_key_a_lookup_compares_with_a_field_names_the_field() -> None:
    code = """
        def post(self, request):
            Connection.objects.filter(alias=request.POST["alias"]).first()
        """
    keys, _ = reads(code)
    assert keys == {"alias": "Connection.alias"}


def test_a_key_compared_through_a_relation_names_no_field() -> None:
    code = "def post(request):\n    Connection.objects.get(owner__name=request.POST['owner'])\n"
    keys, _ = reads(code)
    assert keys == {"owner": None}


def test_a_key_held_in_a_variable_and_given_a_new_row_names_its_field() -> None:
    code = """
        def post(self, request):
            sql = request.POST.get("sql", "")
            connection = request.POST.get("database_connection", default_id())
            query = Query(sql=sql, database_connection_id=connection, title="")
        """
    keys, _ = reads(code)
    assert keys == {"sql": "Query.sql", "database_connection": "Query.database_connection_id"}


def test_a_class_that_is_no_model_names_no_field() -> None:
    code = "def post(request):\n    Thing(alias=request.POST['alias'])\n"
    keys, _ = reads(code)
    assert keys == {"alias": None}
