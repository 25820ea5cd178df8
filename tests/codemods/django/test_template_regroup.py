"""`{% regroup rows by f as sections %}` on a list of rows (django-todo's list of lists by
group): read as Django's tag reads the instances when `f` is a column, or a key to a model whose
`str()` the row has as Django's; the sections' `grouper` and `list` are then read as Django's."""

from __future__ import annotations

from pathlib import Path

from tests.codemods.django.test_template_reads import problems

SECTIONS = """
    {% regroup questions by FIELD as sections %}
    {% for section in sections %}
      <h3>{{ section.grouper }}</h3>
      {% for question in section.list %}
        {{ question.text }} {{ question.choice_set.count }}
      {% endfor %}
    {% endfor %}
"""


def test_rows_regrouped_by_a_column_are_read_as_djangos(tmp_path: Path) -> None:
    # before: "template page.html passes questions to {% regroup %}"
    assert problems(tmp_path, SECTIONS.replace("FIELD", "text"), listing=True) == []


def test_a_key_to_a_model_without_its_own_str_keeps_the_rows_djangos(tmp_path: Path) -> None:
    found = problems(tmp_path, SECTIONS.replace("FIELD", "author"), listing=True)
    assert found == ["template page.html passes questions to {% regroup %}"]


def test_the_section_rows_are_read_as_rows_of_the_model(tmp_path: Path) -> None:
    page = SECTIONS.replace("FIELD", "text").replace("question.text", "question.popular")
    assert problems(tmp_path, page, listing=True) == [
        "template page.html reads question.popular: not a column, a foreign key or a method of "
        "Question without a query"
    ]


def test_a_section_read_other_than_its_grouper_is_a_problem(tmp_path: Path) -> None:
    page = SECTIONS.replace("FIELD", "text").replace("section.grouper", "section.grouper.x")
    assert problems(tmp_path, page, listing=True) == [
        "template page.html reads section.grouper.x: not a read of a regrouped section"
    ]


def test_a_function_views_python_list_read_as_a_queryset_is_a_problem(tmp_path: Path) -> None:
    # a function view gives its template `session.scalars(...).all()`, a list: `{{ rows.count }}`
    # renders "" from it (list.count wants an argument), a number from Django's queryset
    from codemods.django.model_relations import read_relations
    from codemods.django.template_reads import Reads, read_models, template_problems
    from tests.codemods.django.test_template_reads import MODELS

    path = tmp_path / "app" / "templates" / "page.html"
    path.parent.mkdir(parents=True)
    path.write_text("{{ questions.count }} {% for q in questions %}{{ q.text }}{% endfor %}\n")
    facts = read_models([MODELS], read_relations([MODELS]))
    rows = Reads(lists={"questions": "Question"})
    assert template_problems(tmp_path, "page.html", rows, facts) == []  # the runtime's Rows
    listed = Reads(lists={"questions": "Question"}, plain=True)
    assert template_problems(tmp_path, "page.html", listed, facts) == [
        "template page.html reads questions.count: not a read of a list of rows"
    ]
