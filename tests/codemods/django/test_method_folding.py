"""Custom manager methods that are not one chain, folded into the chain they return when all they
decide on is known where they are written (method_folding.py), then translated as any method's
chain (querysets.py)."""

from __future__ import annotations

import libcst as cst
import pytest

from codemods.django.model_relations import read_relations
from codemods.django.queryset_methods import read_queryset_methods
from codemods.django.querysets import Scope, Unconvertible, translate

MODELS = '''
from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

OPTION_MESSAGES = pgettext_lazy("postman_url", "m")
STATUS_ACCEPTED = "a"
LIMIT = 3


class MessageManager(models.Manager):
    def _folder(self, related, filters, option=None, order_by=None, query_dict=None):
        qs = self.all() if option == OPTION_MESSAGES else RawFolder(self.model)
        if related:
            qs = qs.select_related(*related)
        if isinstance(filters, (list, tuple)):
            lookups = models.Q()
            for filter in filters:
                lookups |= models.Q(**filter)
        else:
            lookups = models.Q(**filters)
        if option == OPTION_MESSAGES:
            qs = qs.filter(lookups)
        else:
            qs = qs.annotate(count=RawSQL("count", ()))
        return qs

    def inbox(self, user, with_related=True, **kwargs):
        """Accepted messages received by a user."""
        related = ("sender",) if with_related else None
        filters = {"recipient": user, "moderation_status": STATUS_ACCEPTED}
        query_dict = kwargs.get("query_dict")
        if query_dict and "unread" in query_dict:
            filters["read_at__isnull"] = True
        return self._folder(related, filters, **kwargs)

    def inbox_unread_count(self, user):
        return self.inbox(user, with_related=False, option=OPTION_MESSAGES).filter(
            read_at__isnull=True
        ).count()

    def inbox_folder(self, user):
        return self.inbox(user)

    def by_flag(self, user, flag):
        return self.inbox(user, with_related=flag, option=OPTION_MESSAGES)

    def limited(self, user):
        return self.filter(recipient=user) if LIMIT else self.none()

    def other_option(self, user):
        return self.inbox(user, option=pgettext_lazy("postman_url", "x"))


class Message(models.Model):
    recipient = models.ForeignKey["User"](settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    read_at = models.DateTimeField(null=True)
    moderation_status = models.CharField(max_length=1)
    objects = MessageManager()
'''


def sql(queryset: str, sources: tuple[str, ...] = (MODELS,)) -> str:
    methods = read_queryset_methods(list(sources))
    node = cst.parse_expression(queryset)
    scope = Scope(methods=methods)
    return translate(node, frozenset({"Message"}), read_relations(list(sources)), scope).code


def test_a_method_calling_the_classs_methods_with_known_arguments_is_the_chain_they_build() -> None:
    assert sql("Message.objects.inbox_unread_count(request.user)") == (
        "session.scalar(select(func.count()).select_from(select(tables.Message).where(and_("
        "tables.Message.recipient_id == pk_of(request.user), "
        "tables.Message.moderation_status == 'a'), is_null(tables.Message.read_at, True))"
        ".subquery()))"
    )


def test_the_folded_methods_are_named_on_the_method() -> None:
    method = read_queryset_methods([MODELS])["Message"].methods["inbox_unread_count"]
    assert method.folded == ("_folder", "inbox")


@pytest.mark.parametrize(
    "method",
    [
        "inbox_folder",  # _folder's other branch: raw SQL
        "by_flag",  # a condition on its own parameter
        "other_option",  # another translation: equal or not, by the active language
        "limited",  # a condition on a module constant's value, which Django reads at run time
        "inbox",  # **kwargs: its callers may give anything
    ],
)
def test_a_method_deciding_on_what_is_not_known_stays_on_the_orm(method: str) -> None:
    with pytest.raises(Unconvertible):
        sql(f"Message.objects.{method}(u)")


def test_a_subclass_redefining_a_folded_method_refuses_the_inherited_fold() -> None:
    redefining = MODELS.replace(
        "class Message(models.Model):",
        "class OwnManager(MessageManager):\n"
        "    def _folder(self, related, filters, **kwargs):\n"
        "        return self.none()\n\n\n"
        "class Message(models.Model):",
    ).replace("objects = MessageManager()", "objects = OwnManager()")
    with pytest.raises(Unconvertible, match=r"it calls _folder\(\)"):
        sql("Message.objects.inbox_unread_count(u)", (redefining,))
