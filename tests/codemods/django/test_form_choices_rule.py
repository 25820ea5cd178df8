"""Rule `django-helper-twins` on a ModelForm's foreign keys (form_choices.py): the twin checks
and lists a foreign key's choices through its session with the default queryset translated (all
the related model's rows, in its Meta.ordering), so the view is converted; a foreign key whose
queryset is no such plain select keeps the view on Django's ORM with the reason."""

from __future__ import annotations

import re
from pathlib import Path
from textwrap import dedent

from codemods.django.plans import plan
from tests.codemods.django.support import convert_module, project_analysis, write_project

MODELS = """
    from django.conf import settings
    from django.db import models


    class VisibleManager(models.Manager):
        def get_queryset(self):
            return super().get_queryset().filter(hidden=False)


    class Board(models.Model):
        title = models.CharField(max_length=80)

        class Meta:
            ordering = ["-title", "id"]

        def __str__(self):
            return self.title


    class Shelf(models.Model):
        title = models.CharField(max_length=80)
        hidden = models.BooleanField(default=False)

        objects = VisibleManager()


    class Lane(models.Model):
        board = models.ForeignKey(Board, on_delete=models.CASCADE)

        def __str__(self):
            return f"{self.board}: lane"


    class Card(models.Model):
        board = models.ForeignKey(Board, on_delete=models.CASCADE)
        shelf = models.ForeignKey(Shelf, null=True, blank=True, on_delete=models.SET_NULL)
        lane = models.ForeignKey(Lane, null=True, blank=True, on_delete=models.SET_NULL)
        top = models.ForeignKey(
            Board, null=True, blank=True, limit_choices_to={"title": "top"},
            on_delete=models.SET_NULL, related_name="+",
        )
        text = models.CharField(max_length=80)
        owner = models.ForeignKey(
            settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
        )
"""
FORMS = """
    from django import forms
    from django.contrib.auth import get_user_model

    from .fields import BoardChoiceField
    from .models import Board, Card

    User = get_user_model()


    class InviteCardForm(forms.ModelForm):
        owner = forms.ModelChoiceField(
            queryset=User.objects.all(), to_field_name="username", label="Invite"
        )

        class Meta:
            model = Card
            fields = ["owner", "text"]


    class ActiveInviteCardForm(forms.ModelForm):
        owner = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True))

        class Meta:
            model = Card
            fields = ["owner", "text"]


    class CardForm(forms.ModelForm):
        class Meta:
            model = Card
            fields = ["board", "text"]


    class OwnerCardForm(forms.ModelForm):
        class Meta:
            model = Card
            fields = ["owner", "text"]


    class NarrowCardForm(forms.ModelForm):
        class Meta:
            model = Card
            fields = ["board", "text"]

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            boards = Board.objects.filter(title="mine")
            if self.instance.pk:
                boards = boards.exclude(pk=self.instance.board_id)
            self.fields["board"].queryset = boards
            self.fields["board"].label_from_instance = lambda board: board.title.upper()


    class OwnCardForm(forms.ModelForm):
        class Meta:
            model = Card
            fields = ["board", "text"]

        def __init__(self, user, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["board"].queryset = Board.objects.filter(title=user.username)


    class PoppedCardForm(forms.ModelForm):
        class Meta:
            model = Card
            fields = ["board", "text"]

        def __init__(self, *args, **kwargs):
            owner = kwargs.pop("owner")
            super().__init__(*args, **kwargs)
            self.fields["board"].queryset = Board.objects.filter(title=owner)


    class WidgetCardForm(forms.ModelForm):
        class Meta:
            model = Card
            fields = ["board", "text"]

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["board"] = BoardChoiceField(queryset=Board.objects.all())


    class ShelfCardForm(forms.ModelForm):
        class Meta:
            model = Card
            fields = ["shelf", "text"]


    class LaneCardForm(forms.ModelForm):
        class Meta:
            model = Card
            fields = ["lane", "text"]


    class TopCardForm(forms.ModelForm):
        class Meta:
            model = Card
            fields = ["top", "text"]
"""
FIELDS = """
    from django import forms


    class BoardChoiceField(forms.ModelChoiceField):
        def label_from_instance(self, board):
            return board.title
"""
VIEWS = """
    from django.shortcuts import redirect, render

    from .forms import (
        ActiveInviteCardForm, CardForm, InviteCardForm, LaneCardForm, NarrowCardForm, OwnCardForm,
        OwnerCardForm, PoppedCardForm, ShelfCardForm, TopCardForm, WidgetCardForm,
    )


    def invite(request):
        form = InviteCardForm(data=request.POST or None)
        if request.method == "POST" and form.is_valid():
            form.save()
            return redirect("/")
        return render(request, "cards/edit.html", {"form": form})


    def active(request):
        return render(request, "cards/edit.html", {"form": ActiveInviteCardForm()})


    def owner(request):
        form = OwnerCardForm(data=request.POST or None)
        if request.method == "POST" and form.is_valid():
            form.save()
            return redirect("/")
        return render(request, "cards/edit.html", {"form": form})


    def card(request):
        form = CardForm(data=request.POST or None)
        if request.method == "POST" and form.is_valid():
            form.save()
            return redirect("/")
        return render(request, "cards/edit.html", {"form": form})


    def narrow(request):
        form = NarrowCardForm(data=request.POST or None)
        if request.method == "POST" and form.is_valid():
            form.save()
            return redirect("/")
        return render(request, "cards/edit.html", {"form": form})


    def own(request):
        return render(request, "cards/edit.html", {"form": OwnCardForm(request.user)})


    def popped(request):
        return render(request, "cards/edit.html", {"form": PoppedCardForm(owner="me")})


    def widget(request):
        return render(request, "cards/edit.html", {"form": WidgetCardForm()})


    def shelf(request):
        return render(request, "cards/edit.html", {"form": ShelfCardForm()})


    def lane(request):
        return render(request, "cards/edit.html", {"form": LaneCardForm()})


    def top(request):
        return render(request, "cards/edit.html", {"form": TopCardForm()})
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("card/", views.card),
        path("owner/", views.owner),
        path("narrow/", views.narrow),
        path("own/", views.own),
        path("popped/", views.popped),
        path("widget/", views.widget),
        path("shelf/", views.shelf),
        path("lane/", views.lane),
        path("top/", views.top),
        path("invite/", views.invite),
        path("active/", views.active),
    ]
"""


def project(tmp_path: Path) -> Path:
    files = {"__init__.py": "", "cards/__init__.py": "", "cards/models.py": MODELS}
    files |= {"cards/forms.py": FORMS, "cards/views.py": VIEWS, "cards/urls.py": URLS}
    files["cards/fields.py"] = FIELDS
    return write_project(tmp_path / "site", files)


def route(root: Path, view: str) -> tuple[str, list[str]]:
    analysis = project_analysis(root)
    found = next(p for p in analysis.patterns if p.view.name == view)
    result = plan(analysis, found)
    return str(result.status), result.reasons


def reason_of(root: Path, view: str) -> str:
    status, why = route(root, view)
    assert status == "partial"
    return next(r for r in why if "gets no translated twin" in r)


def test_a_model_form_with_a_foreign_key_of_its_models_module_is_converted(
    tmp_path: Path,
) -> None:
    # before: "form CardForm: field board (ForeignKey) is validated by a query"
    assert route(project(tmp_path), "card") == ("converted", [])


def test_a_foreign_key_to_auths_user_is_checked_and_listed_with_every_user(
    tmp_path: Path,
) -> None:
    # before: "field owner (ForeignKey) is validated by a query: its model
    # settings.AUTH_USER_MODEL is not of Card's models module"
    root = project(tmp_path)
    assert route(root, "owner") == ("converted", [])
    code, _ = convert_module(root, "cards/forms.py")
    assert '"owner": lambda form: select(tables.User),' in code


def test_a_foreign_key_the_form_declares_offering_every_user_is_converted(
    tmp_path: Path,
) -> None:
    # before: "form InviteCardForm: field ModelChoiceField queries its choices"
    root = project(tmp_path)
    assert route(root, "invite") == ("converted", [])
    code, _ = convert_module(root, "cards/forms.py")
    assert '"owner": lambda form: select(tables.User),' in code


def test_a_foreign_key_the_form_declares_on_a_narrowed_queryset_keeps_the_view_on_the_orm(
    tmp_path: Path,
) -> None:
    assert reason_of(project(tmp_path), "active").endswith(
        "form ActiveInviteCardForm: field ModelChoiceField queries its choices"
    )


def test_the_twin_checks_the_foreign_key_with_the_related_rows_in_their_ordering(
    tmp_path: Path,
) -> None:
    code, _ = convert_module(project(tmp_path), "cards/forms.py")  # every rule

    assert (
        dedent(
            '''
            class CardFormWithSession(SessionModelForm, DjangoCardForm):
                """The Django form CardForm, reading and saving SQLAlchemy rows."""

                table = tables.Card
                choices = {
                    "board": lambda form: select(tables.Board).order_by(tables.Board.title.desc(), tables.Board.id),
                }
            '''  # noqa: E501
        )
        in code
    )
    assert re.search(r"^from sqlalchemy import .*\bselect\b", code, re.M)


def test_an_init_setting_the_field_s_queryset_from_its_module_s_queries_is_converted(
    tmp_path: Path,
) -> None:
    # before: "form NarrowCardForm: field board (ForeignKey) is validated by a query: its form's
    # __init__ sets its queryset"
    assert route(project(tmp_path), "narrow") == ("converted", [])


def test_the_twin_restricts_the_field_with_the_init_s_queryset_translated(
    tmp_path: Path,
) -> None:
    code, _ = convert_module(project(tmp_path), "cards/forms.py")  # every rule

    assert (
        dedent(
            '''
            class NarrowCardFormWithSession(SessionModelForm, DjangoNarrowCardForm):
                """The Django form NarrowCardForm, reading and saving SQLAlchemy rows."""

                table = tables.Card
                choices = {
                    "board": lambda form: form._choices_of_board(),
                }

                def _choices_of_board(self):
                    boards = ordered(select(tables.Board).where(tables.Board.title == "mine"))
                    if self.instance.pk:
                        boards = boards.where(not_(and_(tables.Board.id == self.instance.board_id)))
                    return boards
            '''
        )
        in code
    )


def test_an_init_building_the_queryset_from_its_named_arguments_is_converted(
    tmp_path: Path,
) -> None:
    # before: "form OwnCardForm: field board (ForeignKey) is validated by a query: its queryset
    # is built from __init__'s user"
    assert route(project(tmp_path), "own") == ("converted", [])


def test_the_twin_s_choice_method_takes_the_init_s_arguments_it_was_built_with(
    tmp_path: Path,
) -> None:
    code, _ = convert_module(project(tmp_path), "cards/forms.py")  # every rule

    assert (
        dedent(
            '''
            class OwnCardFormWithSession(SessionModelForm, DjangoOwnCardForm):
                """The Django form OwnCardForm, reading and saving SQLAlchemy rows."""

                table = tables.Card
                choices = {
                    "board": lambda form: form._choices_of_board(form.init_arguments["user"]),
                }

                def _choices_of_board(self, user):
                    _rows = ordered(select(tables.Board).where(tables.Board.title == user.username))
                    return _rows
            '''
        )
        in code
    )


def test_an_init_building_the_queryset_from_its_kwargs_keeps_the_view_on_the_orm(
    tmp_path: Path,
) -> None:
    assert reason_of(project(tmp_path), "popped").endswith(
        "form PoppedCardForm: field board (ForeignKey) is validated by a query: its queryset is "
        "built from __init__'s kwargs"
    )


def test_an_init_replacing_the_field_with_a_field_class_of_its_own_keeps_the_view_on_the_orm(
    tmp_path: Path,
) -> None:
    assert reason_of(project(tmp_path), "widget").endswith(
        "form WidgetCardForm: field board (ForeignKey) is validated by a query: its form's "
        "__init__ replaces the field with a BoardChoiceField (it may query itself)"
    )


def test_a_related_model_whose_default_manager_filters_keeps_the_view_on_the_orm(
    tmp_path: Path,
) -> None:
    assert reason_of(project(tmp_path), "shelf").endswith(
        "field shelf (ForeignKey) is validated by a query: Shelf's default manager "
        "VisibleManager filters (get_queryset)"
    )


def test_labels_reading_a_relation_keep_the_view_on_the_orm(tmp_path: Path) -> None:
    assert reason_of(project(tmp_path), "lane").endswith(
        "field lane (ForeignKey) is validated by a query: Lane.__str__ (the options' labels) "
        "reads a relation"
    )


def test_a_foreign_key_limiting_its_choices_keeps_the_view_on_the_orm(tmp_path: Path) -> None:
    assert reason_of(project(tmp_path), "top").endswith(
        "field top (ForeignKey) is validated by a query: it has limit_choices_to"
    )
