"""The form pass posts a `<select>`'s initial value only when it is one of its options; else
what a browser sends, the first option (django-sql-explorer's QueryForm: an initial alias, its
options keyed by id)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CHILD = """
import json, sys
import django
from django.conf import settings

settings.configure(INSTALLED_APPS=[], DATABASES={})
django.setup()
from django import forms
from codemods.django.verify_forms import form_data


class ConnectionForm(forms.Form):
    connection = forms.CharField(widget=forms.Select, required=False)
    engine = forms.ChoiceField(choices=[("", "---"), ("sqlite", "SQLite"), ("pg", "Postgres")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["connection"].widget.choices = [(1, "default"), (2, "warehouse")]


form = ConnectionForm(initial={"connection": sys.argv[1], "engine": "pg"})
print(json.dumps(dict(form_data(form))))
"""


def posted(initial: str) -> dict[str, list[str]]:
    found = subprocess.run(
        [sys.executable, "-c", CHILD, initial],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(found.stdout))


@pytest.mark.parametrize(("initial", "sent"), [("default", ["1"]), ("2", ["2"])])
def test_a_select_s_initial_outside_its_options_is_posted_as_its_first_option(
    initial: str, sent: list[str]
) -> None:
    assert posted(initial) == {"connection": sent, "engine": ["pg"]}
