"""End to end, on a small project shaped as django-todo's `add_list`: a ModelForm whose `__init__`
takes the user and narrows the list's group to the user's groups (`Group.objects.filter(user=
user)`), a view saving it with `save(commit=False)`, setting the slug, and catching Django's
IntegrityError of a duplicate. Before: "its queryset is built from __init__'s user"; now the view
comes out `converted` and verified, and the generated app offers the same groups, saves a listed
one, refuses another user's group with Django's message, and answers a duplicate with the
view's warning page as Django does (form_init_choices.py, integrity_errors.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from proxy.cli import app
from tests.codemods.django import pinsite
from tests.codemods.django.support import converted_and_asked, write_project

SITE = "boardsite"  # not `pinsite`: another test's may be imported in the same worker
SETTINGS = f"{SITE}.settings"
PINSITE = {
    **pinsite.PROJECT,
    "settings.py": pinsite.PROJECT["settings.py"]
    .replace('"pinsite.notes",', '"django.contrib.messages",\n            "pinsite.notes",')
    .replace(
        '"django.contrib.auth.middleware.AuthenticationMiddleware",',
        '"django.contrib.auth.middleware.AuthenticationMiddleware",\n'
        '            "django.contrib.messages.middleware.MessageMiddleware",',
    )
    .replace(
        '"APP_DIRS": True}',
        '"APP_DIRS": True, "OPTIONS": {"context_processors": '
        '["django.contrib.messages.context_processors.messages"]}}',
    )
    + 'EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"\n',
    "notes/models.py": """
        from django.contrib.auth.models import Group
        from django.db import models


        class Board(models.Model):
            name = models.CharField(max_length=60)
            slug = models.SlugField(default="")
            group = models.ForeignKey(Group, on_delete=models.CASCADE)

            class Meta:
                unique_together = ("group", "slug")

            def __str__(self):
                return self.name
        """,
    "notes/forms.py": """
        from django.contrib.auth.models import Group
        from django.forms import ModelForm

        from .models import Board


        class BoardForm(ModelForm):
            def __init__(self, user, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["group"].queryset = Group.objects.filter(user=user)
                self.fields["group"].widget.attrs = {"class": "custom-select"}

            class Meta:
                model = Board
                exclude = ["slug"]
        """,
    "notes/views.py": """
        from django.contrib import messages
        from django.contrib.auth.decorators import login_required
        from django.core.mail import send_mail
        from django.db import IntegrityError
        from django.shortcuts import redirect, render
        from django.utils.text import slugify
        from django.views.decorators.csrf import csrf_exempt

        from .forms import BoardForm


        @csrf_exempt
        @login_required
        def add_board(request):
            if request.POST:
                form = BoardForm(request.user, request.POST)
                if form.is_valid():
                    try:
                        board = form.save(commit=False)
                        board.slug = slugify(board.name)
                        board.save()
                        send_mail(
                            f"New board {board.name}", f"In {board.group}", "desk@example.com",
                            [request.user.email or "ann@example.com"],
                        )
                        return redirect("add_board")
                    except IntegrityError:
                        messages.warning(request, "A board of that name is there already.")
            elif request.user.groups.all().count() == 1:
                form = BoardForm(request.user, initial={"group": request.user.groups.all()[0]})
            else:
                form = BoardForm(request.user)
            return render(request, "notes/edit.html", {"form": form})
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("boards/new/", views.add_board, name="add_board")]
        """,
    "notes/templates/notes/edit.html": (
        "{% for m in messages %}<p>{{ m }}</p>{% endfor %}"
        "<form method='post'>{{ form.as_p }}</form>\n"
    ),
}
PROJECT = {
    name: text.replace("pinsite", SITE).replace("PINSITE", SITE.upper())
    for name, text in PINSITE.items()
}
SIDES = (
    pinsite.SIDES_START
    + """from django.conf import settings
from django.contrib.auth.models import Group, User
from boardsite.notes.models import Board

mine, theirs = Group.objects.create(name="mine"), Group.objects.create(name="theirs")
user = User.objects.create_user("ann", password="x")
user.groups.add(mine)
legacy = Client()
legacy.force_login(user)
new = TestClient(create_app())
new.cookies.set(settings.SESSION_COOKIE_NAME, legacy.cookies[settings.SESSION_COOKIE_NAME].value)
a, b = legacy.get("/notes/boards/new/"), new.get("/notes/boards/new/")
found = {"page": [a.status_code, b.status_code, a.content.decode() == b.text,
                  "selected>mine<" in b.text, "theirs" not in b.text], "text": b.text}
answer = new.post("/notes/boards/new/", data={"name": "Plans A", "group": str(mine.pk)},
                  follow_redirects=False)
board = Board.objects.get(name="Plans A")
found["saved"] = [answer.status_code, board.slug, board.group_id == mine.pk]
count = Board.objects.count()
foreign = {"name": "Other", "group": str(theirs.pk)}
a = legacy.post("/notes/boards/new/", foreign)
b = new.post("/notes/boards/new/", data=foreign)
found["foreign"] = [a.status_code, b.status_code, a.content.decode() == b.text,
                    "That choice is not one of the available choices." in b.text,
                    Board.objects.count() == count]
twice = {"name": "plans a", "group": str(mine.pk)}
a = legacy.post("/notes/boards/new/", twice)
b = new.post("/notes/boards/new/", data=twice)
found["duplicate"] = [a.status_code, b.status_code, a.content.decode() == b.text,
                      "A board of that name is there already." in b.text,
                      Board.objects.count() == count]
print(json.dumps(found))
"""
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("boards")
    return converted_and_asked(root, SITE, PROJECT, SETTINGS, SIDES)


def test_a_view_of_a_form_narrowing_its_choices_by_its_user_argument_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    # before: "form BoardForm: field group (ForeignKey) is validated by a query: its queryset is
    # built from __init__'s user"
    board = converted["routes"]["add_board"]
    assert (board["status"], board["verified"]) == ("converted", True), board


def test_the_page_offers_the_user_s_groups_with_the_initial_one_selected_as_django_does(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["page"] == [200, 200, True, True, True], converted["sides"]["text"]


def test_a_listed_group_is_saved_with_the_slug_the_view_sets(converted: dict[str, Any]) -> None:
    assert converted["sides"]["saved"] == [302, "plans-a", True]


def test_another_user_s_group_is_refused_with_django_s_message_and_nothing_written(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["foreign"] == [200, 200, True, True, True]


def test_a_duplicate_answers_the_view_s_integrity_error_page_as_django_does(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["duplicate"] == [200, 200, True, True, True]


def codemod(root: Path, *options: str) -> dict[str, dict[str, Any]]:
    report = root / "report.json"
    arguments = [SITE, "--out", "generated", "--report", str(report), *options]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv(f"{SITE.upper()}_DB", str(root / f"{SITE}.sqlite3"))
        result = CliRunner().invoke(app, ["codemod", "django", *arguments, "--settings", SETTINGS])
    assert result.exit_code == 0, result.output
    entries = json.loads(report.read_text())
    return {e["name"]: e for e in entries if e["kind"] == "route"}


def test_a_view_sending_other_mail_than_djangos_fails_the_verification(tmp_path: Path) -> None:
    # the form pass compares the mail each side sent, beside the rows (verify_mail.py)
    write_project(tmp_path / SITE, PROJECT)
    codemod(tmp_path, "--no-verify")
    views = tmp_path / "generated" / "notes" / "views.py"
    text = views.read_text()
    assert 'f"New board {board.name}"' in text
    views.write_text(text.replace('f"New board {board.name}"', 'f"A board {board.name}"'))

    board = codemod(tmp_path)["add_board"]

    assert board["verified"] is False, board
    assert "rows written differ in (mail sent)" in board["error"]
    assert "New board" in board["error"] and "A board" in board["error"]


def test_a_twin_offering_every_group_fails_the_verification_s_outside_choice(
    tmp_path: Path,
) -> None:
    write_project(tmp_path / SITE, PROJECT)
    codemod(tmp_path, "--no-verify")
    forms = tmp_path / "generated" / "notes" / "forms.py"
    text = forms.read_text()
    restricted = '"group": lambda form: form._choices_of_group(form.init_arguments["user"]),'
    assert restricted in text
    forms.write_text(text.replace(restricted, '"group": lambda form: select(tables.AuthGroup),'))

    board = codemod(tmp_path)["add_board"]

    assert board["verified"] is False, board
    assert "(a choice outside a field's choices posted)" in board["error"]
