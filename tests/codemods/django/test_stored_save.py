"""A model's own `save()` comparing the row with its stored self (stored_save.py): kept on the
generated row with its reads of the stored row by primary key on the runtime
(`stored_row`/`stored_count`), so `save(session, row)` runs it as Django runs the model's
(django-newsletter's `Subscription.save` dating a (un)subscription when the flag changes)."""

from __future__ import annotations

import ast

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from codemods.django.own_save import runs_on_rows
from codemods.django.rules.models import DjangoModelsRule
from codemods.runtime.django.instances import save
from tests.codemods.django.support import convert, load

SUBSCRIPTION = """
import logging

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class Subscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, blank=True, null=True, on_delete=models.CASCADE
    )
    email_field = models.EmailField(db_column="email", blank=True, null=True)
    subscribed = models.BooleanField(default=False)
    subscribe_date = models.DateTimeField(null=True, blank=True)
    unsubscribed = models.BooleanField(default=False)
    unsubscribe_date = models.DateTimeField(null=True, blank=True)

    def _subscribe(self):
        logger.debug("Subscribing subscription %s.", self)
        self.subscribe_date = now()
        self.subscribed = True
        self.unsubscribed = False

    def _unsubscribe(self):
        self.subscribed = False
        self.unsubscribed = True
        self.unsubscribe_date = now()

    def save(self, *args, **kwargs):
        assert self.user or self.email_field, _("Neither an email nor a username is set.")
        if self.pk:
            assert(Subscription.objects.filter(pk=self.pk).count() == 1)
            subscription = Subscription.objects.get(pk=self.pk)
            old_subscribed = subscription.subscribed
            old_unsubscribed = subscription.unsubscribed
            if ((self.subscribed and not old_subscribed) or
               (old_unsubscribed and not self.unsubscribed)):
                self._subscribe()
            elif ((self.unsubscribed and not old_unsubscribed) or
                  (old_subscribed and not self.subscribed)):
                self._unsubscribe()
        else:
            if self.subscribed:
                self._subscribe()
            elif self.unsubscribed:
                self._unsubscribe()
        super().save(*args, **kwargs)
"""

DJANGO_TABLE = """
CREATE TABLE blog_subscription (
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id integer NULL,
    email varchar(254) NULL,
    subscribed bool NOT NULL,
    subscribe_date datetime NULL,
    unsubscribed bool NOT NULL,
    unsubscribe_date datetime NULL
)
"""


def model_class(source: str) -> ast.ClassDef:
    return next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef))


def test_a_save_reading_its_stored_row_by_primary_key_runs_on_rows() -> None:
    assert runs_on_rows(model_class(SUBSCRIPTION))


def test_a_save_querying_otherwise_does_not() -> None:
    for change in (
        # another row than its own
        (
            "Subscription.objects.get(pk=self.pk)",
            "Subscription.objects.get(email_field=self.email_field)",
        ),
        # a helper that queries
        (
            "self.subscribed = True\n        self.unsubscribed = False",
            "self.subscribed = Subscription.objects.exists()",
        ),
        # a call that is no helper of the model
        ("elif self.unsubscribed:", "elif self.unsubscribed:\n                self.notify()"),
        # the stored row handed on
        ("old_subscribed = subscription.subscribed", "old_subscribed = subscription"),
        # a key read for its value, not its truth
        ("self.subscribe_date = now()", "self.subscribe_date = self.user"),
    ):
        source = SUBSCRIPTION.replace(*change)
        assert source != SUBSCRIPTION, change
        assert not runs_on_rows(model_class(source)), change


def test_the_generated_save_reads_the_stored_row_on_the_runtime() -> None:
    code, _ = convert(SUBSCRIPTION, [DjangoModelsRule])
    assert "class Subscription(RowSave, Base):" in code
    assert "subscription = stored_row(self)" in code
    assert "assert(stored_count(self) == 1)" in code
    assert "(self.user_id is not None) or self.email_field" in code
    assert "Subscription.objects" not in code


def generated_session():  # type: ignore[no-untyped-def]
    code, _ = convert(SUBSCRIPTION, [DjangoModelsRule])
    generated = load(code, "generated_stored_save_models")
    engine = create_engine("sqlite://")
    with engine.begin() as connection:  # the table as Django's migration makes it on SQLite
        connection.exec_driver_sql(DJANGO_TABLE)
    return generated, Session(engine)


def test_a_new_subscribed_row_is_dated_when_written() -> None:
    generated, session = generated_session()
    with session:
        row = generated.Subscription(email_field="a@example.com", subscribed=True)
        save(session, row)
        assert row.subscribe_date is not None and row.unsubscribe_date is None
        assert session.get(generated.Subscription, row.id).subscribed


def test_a_flag_changed_since_the_stored_row_dates_the_change() -> None:
    generated, session = generated_session()
    with session:
        row = generated.Subscription(email_field="a@example.com")
        save(session, row)
        assert row.subscribe_date is None
        row.subscribed = True
        save(session, row)
        assert row.subscribe_date is not None and not row.unsubscribed
        row.subscribed = False
        save(session, row)
        assert row.unsubscribed and row.unsubscribe_date is not None


def test_an_unchanged_flag_leaves_the_dates_as_they_are() -> None:
    generated, session = generated_session()
    with session:
        row = generated.Subscription(email_field="a@example.com", subscribed=True)
        save(session, row)
        first = row.subscribe_date
        save(session, row)
        assert row.subscribe_date == first


def test_a_row_without_user_or_email_is_refused_as_django_refuses_it() -> None:
    generated, session = generated_session()
    with session:
        try:
            save(session, generated.Subscription(subscribed=True))
        except AssertionError:
            return
        raise AssertionError("saved a subscription without user or e-mail")
