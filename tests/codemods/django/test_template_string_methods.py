"""A filter of SRC given the value of a model method that gives only strings gets the same
value from a row as from Django's instance (django-postman's
`{{ message.obfuscated_sender|or_me:user }}`); a method that may give anything else is still
a reason."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.model_relations import read_relations
from codemods.django.template_reads import Reads, read_models, template_problems

MODELS = dedent(
    """
    from django.conf import settings
    from django.db import models
    from django.utils.encoding import force_str


    def user_representation(user):
        shown = getattr(settings, "SHOW_USER_AS", None)
        if callable(shown):
            return force_str(shown(user))
        return force_str(user)


    class Message(models.Model):
        subject = models.CharField(max_length=120)
        email = models.EmailField(blank=True)
        sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE)

        def _obfuscated_email(self):
            bits = self.email.split("@")
            if len(bits) != 2:
                return ""
            return "@".join(("x", bits[1]))

        @property
        def obfuscated_sender(self):
            if self.sender:
                return user_representation(self.sender)
            return self._obfuscated_email()

        @property
        def sender_or_email(self):
            return self.sender if self.sender else self.email

        def short_subject(self):
            if self.subject:
                return f"{self.subject[:5]}"
    """
)

TAGS = """
from django.template import Library

register = Library()


@register.filter
def or_me(value, arg):
    return "<me>" if str(value) == str(arg) else value
"""


def problems(tmp_path: Path, read: str) -> list[str]:
    for name, text in {
        "templatetags/__init__.py": "",
        "templatetags/app_tags.py": TAGS,
        "templates/page.html": "{% load app_tags %}{% for m in messages %}" + read + "{% endfor %}",
    }.items():
        path = tmp_path / "app" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    facts = read_models([MODELS], read_relations([MODELS]))
    return template_problems(tmp_path, "page.html", Reads(lists={"messages": "Message"}), facts)


def test_a_filter_given_a_method_giving_only_strings_is_no_problem(tmp_path: Path) -> None:
    assert problems(tmp_path, "{{ m.obfuscated_sender|or_me:user }}") == []


def test_a_filter_given_a_method_that_may_give_a_row_is_a_problem(tmp_path: Path) -> None:
    assert problems(tmp_path, "{{ m.sender_or_email|or_me:user }}") == [
        "template page.html filters m with or_me"
    ]


def test_a_method_that_may_give_none_is_not_a_string(tmp_path: Path) -> None:
    assert problems(tmp_path, "{{ m.short_subject|or_me:user }}") == [
        "template page.html filters m with or_me"
    ]
