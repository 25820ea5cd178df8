"""A model's own `save()` reading its stored row (stored_save.py) against real Django on SQLite:
the same (un)subscriptions saved through Django's model and through the generated row on one
database date the same changes, and each side reads back what the other wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from codemods.django.rules.models import DjangoModelsRule
from tests.codemods.django.support import convert, run_django
from tests.codemods.django.test_stored_save import SUBSCRIPTION

SCRIPT = """
import json, sys, types
from django.core.management import call_command
from django.db import connection

from codemods.runtime.django.database import new_session
from codemods.runtime.django.instances import save

call_command("migrate", verbosity=0)
legacy = types.ModuleType("stored_save_legacy")
exec(LEGACY, legacy.__dict__)
Subscription = legacy.Subscription
with connection.schema_editor() as editor:
    editor.create_model(Subscription)
tables = types.ModuleType("stored_save_tables")
exec(GENERATED, tables.__dict__)
Row = tables.Subscription


def steps(make, write, flip):
    found = []
    item = make(email_field="a@example.com")
    write(item)
    found.append([item.subscribed, item.subscribe_date is None, item.unsubscribe_date is None])
    flip(item, subscribed=True)
    write(item)
    found.append([item.subscribed, item.subscribe_date is None, item.unsubscribe_date is None])
    flip(item, subscribed=False)
    write(item)
    found.append([item.unsubscribed, item.subscribe_date is None, item.unsubscribe_date is None])
    return found


def setter(item, **values):
    for key, value in values.items():
        setattr(item, key, value)


session = new_session()
result = {
    "django": steps(Subscription, lambda s: s.save(), setter),
    "rows": steps(Row, lambda r: save(session, r), setter),
}
# Django's row flipped on the rows side, read back by Django
stored = Subscription.objects.create(email_field="b@example.com")
row = session.get(Row, stored.pk)
row.subscribed = True
save(session, row)
again = Subscription.objects.get(pk=stored.pk)
result["read_back"] = [again.subscribed, again.subscribe_date == row.subscribe_date]
# a row missing from the database: Django's DoesNotExist, as Django's get() raises it
ghost = session.get(Row, stored.pk)
Subscription.objects.filter(pk=stored.pk).delete()
try:
    tables.stored_row(ghost)
except Subscription.DoesNotExist as error:
    result["missing"] = str(error)
print(json.dumps(result))
"""


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    legacy = SUBSCRIPTION.replace(
        "    def _subscribe(self):",
        '    class Meta:\n        app_label = "blog"\n\n    def _subscribe(self):',
    )
    generated, _ = convert(legacy, [DjangoModelsRule])
    database: Path = tmp_path_factory.mktemp("stored-save") / "blog.sqlite3"
    script = f"LEGACY = {legacy!r}\nGENERATED = {generated!r}\n" + SCRIPT
    return json.loads(run_django(database, script).strip().splitlines()[-1])


def test_the_rows_date_each_change_as_django_does(found: dict[str, Any]) -> None:
    assert found["rows"] == found["django"]
    assert found["django"] == [[False, True, True], [True, False, True], [True, False, False]]


def test_django_reads_back_the_date_the_row_set(found: dict[str, Any]) -> None:
    assert found["read_back"] == [True, True]


def test_a_stored_row_gone_is_django_s_does_not_exist(found: dict[str, Any]) -> None:
    assert found["missing"] == "Subscription matching query does not exist."
