"""What a template reads of a generic view's objects decides whether SQLAlchemy rows can stand
in for Django's instances: columns, kept methods without queries, foreign keys to generated
models, django.contrib.auth's User's columns, and to-many relations read as related managers
(`.all`, `.count`, `.exists`: Django's default reverse accessors, many-to-many fields, the
`related_name` backrefs) can; anything else,
and objects handed to tags and filters the codemod does not know, cannot."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.model_relations import read_relations
from codemods.django.template_reads import Reads, read_models, template_problems

MODELS = dedent(
    """
    from django.db import models


    class Author(models.Model):
        name = models.CharField(max_length=20)


    class Question(models.Model):
        text = models.CharField(max_length=200)
        picture = models.ImageField()
        owner = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="asked")
        author = models.ForeignKey(Author, on_delete=models.CASCADE)
        tags = models.ManyToManyField("Tag", related_name="questions")

        def shout(self):
            return self.text.upper()

        def total(self):
            return sum(c.votes for c in self.choice_set.all())

        def popular(self):
            return self.choice_set.filter(votes__gt=0)

        def tag_count(self):
            return self.tags.count()

        def tagged(self):
            return self.tags.filter(name="x")


    class Choice(models.Model):
        question = models.ForeignKey(Question, on_delete=models.CASCADE)
        votes = models.IntegerField(default=0)


    class Answer(models.Model):
        question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
        body = models.TextField()
        readers = models.ManyToManyField("auth.User")


    class Tag(models.Model):
        name = models.CharField(max_length=20)
    """
)


def problems(
    tmp_path: Path,
    template: str,
    *,
    listing: bool = False,
    more: dict[str, str] | None = None,
    both: bool = False,
) -> list[str]:
    for name, text in {"page.html": template, **(more or {})}.items():
        path = tmp_path / "app" / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    relations = read_relations([MODELS])
    reads = Reads(lists={"questions": "Question"}) if listing else Reads({"question": "Question"})
    if both:  # a question and a list of them
        reads = Reads({"question": "Question"}, {"questions": "Question"})
    return template_problems(tmp_path, "page.html", reads, read_models([MODELS], relations))


def test_columns_kept_methods_and_foreign_keys_are_read_from_rows(tmp_path: Path) -> None:
    page = (
        "{{ question }} {{ question.text|upper }} {{ question.shout }} {{ question.author.name }}"
    )
    assert problems(tmp_path, page) == []


def test_a_default_reverse_accessor_is_read_through_all_count_and_exists(tmp_path: Path) -> None:
    page = """
        {% for choice in question.choice_set.all %}{{ choice.votes }}{% endfor %}
        {{ question.choice_set.count }} {% if question.choice_set.exists %}!{% endif %}
        {{ question.total }}
    """
    assert problems(tmp_path, page) == []


def test_a_related_manager_method_or_a_querying_method_is_a_problem(tmp_path: Path) -> None:
    page = (
        "{{ question.choice_set.first }} {{ question.popular }} {{ question.tags.last }} "
        "{{ question.tagged }}"
    )
    assert problems(tmp_path, page) == [
        "template page.html reads question.choice_set: a related manager read other than "
        ".all, .count or .exists",
        "template page.html reads question.popular: not a column, a foreign key or a method of "
        "Question without a query",
        "template page.html reads question.tags: a related manager read other than "
        ".all, .count or .exists",
        "template page.html reads question.tagged: not a column, a foreign key or a method of "
        "Question without a query",
    ]


def test_a_many_to_many_field_is_read_through_all_count_and_exists(tmp_path: Path) -> None:
    page = """
        {% for tag in question.tags.all %}{{ tag.name }}{% endfor %}
        {{ question.tags.count }} {{ question.tags.exists }} {{ question.tag_count }}
    """
    assert problems(tmp_path, page) == []


def test_the_items_of_a_many_to_many_loop_are_rows_of_the_related_model(tmp_path: Path) -> None:
    page = "{% for tag in question.tags.all %}{{ tag.save }}{% endfor %}"
    assert problems(tmp_path, page) == [
        "template page.html reads tag.save: not a column, a foreign key or a method of Tag "
        "without a query"
    ]


def test_related_names_and_a_many_to_many_s_default_accessor_are_reverse_reads(
    tmp_path: Path,
) -> None:
    page = """
        {% for answer in question.answers.all %}{{ answer.body }}
          {% for tag in answer.question.tags.all %}{% for q in tag.questions.all %}{{ q.text }}
          {% endfor %}{% endfor %}
        {% endfor %}{{ question.answers.count }}
    """
    assert problems(tmp_path, page) == []


def test_a_foreign_key_to_the_user_reads_the_auth_user_columns(tmp_path: Path) -> None:
    page = "{{ question.owner.username }} {{ question.owner.date_joined|date }}"
    assert problems(tmp_path, page) == []
    assert problems(tmp_path, "{{ question.owner.profile }}") == [
        "template page.html reads question.owner.profile: not a column, a foreign key or a "
        "method of User without a query"
    ]


def test_the_users_full_and_short_names_are_read_from_the_generated_user(
    tmp_path: Path,
) -> None:
    page = "{{ question.owner.get_full_name }} {{ question.owner.get_short_name }}"
    assert problems(tmp_path, page) == []


COMMENTS_MODELS = dedent(
    """
    from django.db import models


    class Comment(models.Model):
        author = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="notes")
    """
)


def test_the_one_user_of_several_models_modules_has_the_reverse_accessors_of_all(
    tmp_path: Path,
) -> None:
    (tmp_path / "app" / "templates").mkdir(parents=True)
    page = (
        "{{ question.owner.asked.count }} {{ question.owner.notes.count }} {{ question.owner.x }}"
    )
    (tmp_path / "app" / "templates" / "page.html").write_text(page, encoding="utf-8")
    sources = [MODELS, COMMENTS_MODELS]
    facts = read_models(sources, read_relations(sources))
    found = template_problems(tmp_path, "page.html", Reads({"question": "Question"}), facts)
    assert found == [  # one generated User (models_base.py) for both modules: `notes` too
        "template page.html reads question.owner.x: not a column, a foreign key or a method "
        "of User without a query"
    ]


def test_a_file_field_is_read_as_its_name_only(tmp_path: Path) -> None:
    assert problems(tmp_path, "{{ question.picture }}") == []
    assert problems(tmp_path, "{{ question.picture.url }}") == [
        "template page.html reads question.picture.url: a Question field Django reads as an "
        "object of its own (FieldFile)"
    ]


def test_list_items_loops_and_with_aliases_are_followed(tmp_path: Path) -> None:
    page = """
        {% for q in questions %}{{ q.text }}{% endfor %} {{ questions|length }}
        {% with first=questions.0 %}{{ first.choice_set.count }}{{ first.popular }}{% endwith %}
        {{ questions.0.tagged }}
    """
    assert problems(tmp_path, page, listing=True) == [
        "template page.html reads first.popular: not a column, a foreign key or a method of "
        "Question without a query",
        "template page.html reads questions.0.tagged: not a column, a foreign key or a method "
        "of Question without a query",
    ]


def test_tags_of_its_own_and_objects_given_to_unknown_filters_are_problems(
    tmp_path: Path,
) -> None:
    page = """
        {% load extras %}{% render_card %} {{ question|card }} {% widthratio question.text 1 1 %}
        {% include card_template %}
    """
    assert problems(tmp_path, page) == [
        "template page.html uses {% render_card %}, a tag of its own: it may read the objects "
        "from the context",
        "template page.html filters question with card",
        "template page.html passes question to {% widthratio %}",
        "template page.html includes a template named by a variable",
    ]


def test_extended_and_included_templates_are_read_too_and_must_be_in_src(
    tmp_path: Path,
) -> None:
    page = '{% extends "base.html" %}{% block b %}{% include "missing.html" %}{% endblock %}'
    base = "{{ question.popular }}{% block b %}{% endblock %}"
    assert problems(tmp_path, page, more={"base.html": base}) == [
        "template missing.html is not in SRC: what it reads is not known",
        "template base.html reads question.popular: not a column, a foreign key or a method of "
        "Question without a query",
    ]


def test_an_include_with_aliases_reads_the_included_template_under_them(
    tmp_path: Path,
) -> None:
    page = (
        '{% include "card.html" with item=question items=questions title="x" only %}'
        '{% include "card.html" with item=None items=questions %}'
    )
    card = "{{ item.popular }}{% for i in items %}{{ i.text }}{% endfor %}{{ title }}"
    found = problems(tmp_path, page, more={"card.html": card}, both=True)
    assert found == [
        "template card.html reads item.popular: not a column, a foreign key or a method of "
        "Question without a query"
    ]


def test_an_include_whose_alias_is_given_a_read_other_than_foreign_keys_is_a_problem(
    tmp_path: Path,
) -> None:
    page = '{% include "card.html" with item=question.answers %}'
    assert problems(tmp_path, page, more={"card.html": "{{ item.name }}"}) == [
        "template page.html passes question.answers to {% include %} as item"
    ]


def test_an_include_whose_alias_is_given_a_foreign_key_reads_the_related_row_under_it(
    tmp_path: Path,
) -> None:
    page = '{% include "card.html" with item=question.author only %}'
    card = "{{ item.name }} {{ item.question_set }}"
    assert problems(tmp_path, page, more={"card.html": card}) == [
        "template card.html reads item.question_set: a related manager read other than "
        ".all, .count or .exists"
    ]


def test_an_include_whose_alias_is_given_a_foreign_key_of_a_loop_row_reads_that_model(
    tmp_path: Path,
) -> None:
    page = '{% for q in questions %}{% include "card.html" with u=q.owner only %}{% endfor %}'
    card = "{{ u.username }} {{ u.nickname }}"
    assert problems(tmp_path, page, listing=True, more={"card.html": card}) == [
        "template card.html reads u.nickname: not a column, a foreign key or a method of "
        "User without a query"
    ]


def test_an_include_with_only_gives_no_other_rows(tmp_path: Path) -> None:
    page = '{% include "card.html" with title="x" only %}'
    assert problems(tmp_path, page, more={"card.html": "{{ question.popular }}"}) == []


TAGS = """
from django import template

register = template.Library()


@register.simple_tag
def asset(filename):
    return "/static/" + filename


@register.simple_tag(takes_context=True)
def asset_for(context, filename):
    return context["question"].text + filename


@register.inclusion_tag("card.html", name="card_of")
def card(value):
    return {"value": value}
"""


def problems_with_tags(tmp_path: Path, template: str) -> list[str]:
    (tmp_path / "app" / "templatetags").mkdir(parents=True)
    (tmp_path / "app" / "templatetags" / "extras.py").write_text(TAGS, encoding="utf-8")
    return problems(tmp_path, template)


def test_a_tag_of_its_own_seeing_only_literal_arguments_is_no_problem(tmp_path: Path) -> None:
    page = "{% load extras %}{% asset 'main.css' %}{% asset \"x.js\" as link %}{% card_of 'a' %}"
    assert problems_with_tags(tmp_path, page) == []


def test_a_tag_of_its_own_given_the_rows_or_reading_them_from_the_context_is_a_problem(
    tmp_path: Path,
) -> None:
    page = "{% load extras %}{% asset question %}{% asset_for 'main.css' %}"
    assert problems_with_tags(tmp_path, page) == [
        "template page.html passes question to {% asset %}",
        "template page.html uses {% asset_for %}, which reads question",
    ]


CONNECTION = """
from django.db import models


class Connection(models.Model):
    ENGINES = (("sqlite", "SQLite"),)
    engine = models.CharField(max_length=20, choices=ENGINES)
    secret = encrypt(models.CharField(max_length=20))

    @property
    def is_sqlite(self):
        return self.engine == "sqlite"

    @property
    def is_upload(self):
        return self.is_sqlite and self.secret

    def describe(self):
        return "upload" if self.is_upload else "connection"
"""


def connection_problems(tmp_path: Path, template: str) -> list[str]:
    path = tmp_path / "app" / "templates" / "page.html"
    path.parent.mkdir(parents=True)
    path.write_text(template, encoding="utf-8")
    facts = read_models([CONNECTION], read_relations([CONNECTION]))
    return template_problems(tmp_path, "page.html", Reads({"object": "Connection"}), facts)


def test_a_field_with_choices_is_read_through_its_get_display_method(tmp_path: Path) -> None:
    assert connection_problems(tmp_path, "{{ object.get_engine_display }}") == []


def test_a_field_wrapped_in_a_call_of_its_own_is_no_column_of_the_rows(tmp_path: Path) -> None:
    assert connection_problems(tmp_path, "{{ object.secret }}") == [
        "template page.html reads object.secret: not a column, a foreign key or a method of "
        "Connection without a query"
    ]


def test_django_cryptographys_encrypted_field_is_a_column_and_so_are_its_readers(
    tmp_path: Path,
) -> None:
    encrypted = "from django_cryptography.fields import encrypt\n" + CONNECTION
    path = tmp_path / "app" / "templates" / "page.html"
    path.parent.mkdir(parents=True)
    path.write_text("{{ object.secret }} {{ object.is_upload }} {{ object.describe }}", "utf-8")
    facts = read_models([encrypted], read_relations([encrypted]))
    assert template_problems(tmp_path, "page.html", Reads({"object": "Connection"}), facts) == []


PROFILES = dedent(
    """
    from django.db import models


    class Profile(models.Model):
        user = models.OneToOneField("auth.User", on_delete=models.CASCADE, related_name="st")
        nickname = models.CharField(max_length=20)
        owner = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    """
)


def test_a_one_to_one_s_related_name_reads_the_related_row(tmp_path: Path) -> None:
    (tmp_path / "app" / "templates").mkdir(parents=True)
    page = "{{ profile.owner.st.nickname }} {{ profile.owner.st.save }}"
    (tmp_path / "app" / "templates" / "page.html").write_text(page, encoding="utf-8")
    facts = read_models([PROFILES], read_relations([PROFILES]))
    found = template_problems(tmp_path, "page.html", Reads({"profile": "Profile"}), facts)
    assert found == [
        "template page.html reads profile.owner.st.save: not a column, a foreign key or a "
        "method of Profile without a query"
    ]


def test_a_method_reading_a_field_kept_as_written_directly_or_not_is_no_method_of_rows(
    tmp_path: Path,
) -> None:
    page = "{{ object.is_sqlite }} {{ object.is_upload }} {{ object.describe }}"
    read = "not a column, a foreign key or a method of Connection without a query"
    assert connection_problems(tmp_path, page) == [
        f"template page.html reads object.{name}: {read}" for name in ("is_upload", "describe")
    ]


def test_a_name_the_model_has_nowhere_reads_as_djangos_invalid_string_on_rows_too(
    tmp_path: Path,
) -> None:
    page = "{{ question.connection.alias }} {% if question.nothing %}!{% endif %}"
    assert problems(tmp_path, page) == []


def test_a_name_django_or_a_related_model_or_the_row_may_have_is_still_a_problem(
    tmp_path: Path,
) -> None:
    page = (
        "{{ question.save }} {{ question.choice }} {{ question.asked }} {{ question.metadata }} "
        "{{ question.get_next_by_date }} {{ question.answer_set }}"
    )
    read = "not a column, a foreign key or a method of Question without a query"
    assert problems(tmp_path, page) == [
        f"template page.html reads question.{name}: {read}"
        for name in ("save", "choice", "asked", "metadata", "get_next_by_date", "answer_set")
    ]


def test_a_name_of_a_model_built_on_a_base_of_its_own_may_be_inherited(tmp_path: Path) -> None:
    models = MODELS + dedent(
        """

        class Stamped(models.Model):
            when = models.DateTimeField()

            class Meta:
                abstract = True


        class Poll(Stamped):
            title = models.CharField(max_length=20)
        """
    )
    (tmp_path / "app" / "templates").mkdir(parents=True)
    (tmp_path / "app" / "templates" / "page.html").write_text("{{ poll.connection }}")
    found = template_problems(
        tmp_path,
        "page.html",
        Reads({"poll": "Poll"}),
        read_models([models], read_relations([models])),
    )
    assert found == [
        "template page.html reads poll.connection: not a column, a foreign key or a method of "
        "Poll without a query"
    ]
