"""The class-views rule: a served `ListView`/`DetailView` whose querysets the query mapping
covers and whose templates read only what SQLAlchemy rows have gets `SelectedObjects` and
`select()` statements on the generated models; any other keeps Django's ORM, and its route says
why."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.rules.class_views import ClassViewsRule
from codemods.django.rules.urls import UrlsRule
from codemods.engine.findings import Finding, Status
from tests.codemods.django.support import convert_module, write_project
from tests.codemods.support import REPO_ROOT

MODELS = """
    from django.db import models


    class Question(models.Model):
        question_text = models.CharField(max_length=200)
        pub_date = models.DateTimeField("date published")

        def __str__(self):
            return self.question_text

        def voted(self):
            return self.choice_set.count()

        def popular(self):
            return self.choice_set.filter(votes__gt=0)


    class Choice(models.Model):
        question = models.ForeignKey(Question, on_delete=models.CASCADE)
        choice_text = models.CharField(max_length=200)
        votes = models.IntegerField(default=0)
"""
VIEWS = """
    from django.utils import timezone
    from django.views import generic

    from .models import Question


    class IndexView(generic.ListView):
        template_name = "polls/index.html"
        context_object_name = "latest_question_list"

        def get_queryset(self):
            \"\"\"The last five published questions.\"\"\"
            return Question.objects.filter(pub_date__lte=timezone.now()).order_by("-pub_date")[:5]


    class DetailView(generic.DetailView):
        model = Question
        template_name = "polls/detail.html"


    class ResultsView(generic.DetailView):
        model = Question
        template_name = "polls/results.html"
"""
URLS = """
    from django.urls import path

    from . import views

    app_name = "polls"
    urlpatterns = [
        path("", views.IndexView.as_view(), name="index"),
        path("<int:pk>/", views.DetailView.as_view(), name="detail"),
        path("<int:pk>/results/", views.ResultsView.as_view(), name="results"),
    ]
"""
TEMPLATES = {
    "polls/templates/polls/index.html": """
        {% extends "polls/base.html" %}
        {% block content %}
        {% if latest_question_list %}<ul>
        {% for question in latest_question_list %}
            <li><a href="{% url 'polls:detail' question.id %}">{{ question.question_text }}</a>
            {{ question.pub_date|date:"Y" }} {{ question }}</li>
        {% endfor %}</ul>{% endif %}
        {% endblock %}
    """,
    "polls/templates/polls/base.html": "<html>{% block content %}{% endblock %}</html>",
    "polls/templates/polls/detail.html": """
        <h1>{{ question.question_text }}</h1>
        {% for choice in question.choice_set.all %}{{ choice.choice_text }}{% endfor %}
    """,
    "polls/templates/polls/results.html": "<h1>{{ question }}</h1> {{ question.popular }}",
}


def project(tmp_path: Path) -> Path:
    files = {
        "__init__.py": "",
        "polls/__init__.py": "",
        "polls/models.py": MODELS,
        "polls/views.py": VIEWS,
        "polls/urls.py": URLS,
        **TEMPLATES,
    }
    return write_project(tmp_path / "site", files)


def routes(tmp_path: Path) -> list[Finding]:
    _, findings = convert_module(project(tmp_path), "polls/urls.py", [UrlsRule])
    return findings


STATEMENT = (
    "select(tables.Question).where(tables.Question.pub_date <= timezone.now())"
    ".order_by(tables.Question.pub_date.desc()).limit(5)"
)


def test_a_list_view_of_a_mapped_queryset_becomes_selected_rows(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "polls/views.py", [ClassViewsRule])
    index = code[code.index("class IndexView") : code.index("class DetailView")]
    assert index == dedent(
        '''\
        class IndexView(SelectedObjects, generic.ListView):
            template_name = "polls/index.html"
            context_object_name = "latest_question_list"

            def get_queryset(self):
                """The last five published questions."""
                return self.rows(STATEMENT)


        '''
    ).replace("STATEMENT", STATEMENT)
    assert "from codemods.runtime.django.generic import SelectedObjects" in code
    assert "from . import models as tables" in code
    assert "from sqlalchemy import select" in code


def test_rows_come_from_the_models_module_defining_the_model_not_one_re_exporting_it(
    tmp_path: Path,
) -> None:
    root = project(tmp_path)
    write_project(root, {"polls/data/__init__.py": "", "polls/data/models.py": MODELS})
    (root / "polls" / "models.py").write_text("from .data.models import Choice, Question\n")
    code, _ = convert_module(root, "polls/views.py", [ClassViewsRule])
    assert "class IndexView(SelectedObjects, generic.ListView):" in code
    assert "from .data import models as tables" in code


def test_a_detail_view_whose_template_reads_a_reverse_accessor_becomes_rows(
    tmp_path: Path,
) -> None:
    code, _ = convert_module(project(tmp_path), "polls/views.py", [ClassViewsRule])
    assert (
        "class DetailView(SelectedObjects, generic.DetailView):\n    model = tables.Question"
        in (code)
    )


def test_a_view_whose_template_calls_a_querying_method_keeps_the_orm(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "polls/views.py", [ClassViewsRule])
    assert "class ResultsView(generic.DetailView):\n    model = Question" in code
    assert "from legacyproj.polls.models import Question" in code


def test_the_routes_say_converted_or_which_template_read_keeps_the_orm(tmp_path: Path) -> None:
    index, detail, results = routes(tmp_path)
    assert (index.status, index.reasons) == (Status.converted, [])
    assert (detail.status, detail.reasons) == (Status.converted, [])
    assert results.status == Status.partial
    assert (
        "stays on Django's ORM: SQLAlchemy rows cannot stand in: template polls/results.html "
        "reads question.popular: not a column, a foreign key or a method of Question "
        "without a query" in results.reasons
    )


def test_a_queryset_outside_the_mapping_keeps_the_orm_naming_it(tmp_path: Path) -> None:
    root = project(tmp_path)
    views = (
        (root / "polls/views.py")
        .read_text()
        .replace('order_by("-pub_date")', 'order_by("-pub_date").reverse()')
    )
    (root / "polls/views.py").write_text(views)
    index = convert_module(root, "polls/urls.py", [UrlsRule])[1][0]
    assert index.status == Status.partial
    assert any(".reverse() is not in the query mapping" in r for r in index.reasons)


def test_a_template_missing_from_src_keeps_the_orm(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "polls/templates/polls/base.html").unlink()
    index = convert_module(root, "polls/urls.py", [UrlsRule])[1][0]
    assert index.status == Status.partial
    assert any("template polls/base.html is not in SRC" in r for r in index.reasons)


def test_the_developer_guide_shows_what_the_rule_writes(tmp_path: Path) -> None:
    page = (REPO_ROOT / "docs" / "developer.md").read_text(encoding="utf-8")
    section = page[page.index("### Class-based views") :]
    example = section[section.index("```python\n") + 10 : section.index("```\n", 10)]
    code, _ = convert_module(project(tmp_path), "polls/views.py", [ClassViewsRule])
    without_docstring = code.replace('        """The last five published questions."""\n', "")
    assert "".join(dedent(example).split()) in "".join(without_docstring.split())


def test_with_every_rule_the_access_mixin_leaves_and_the_rows_mixin_comes_first(
    tmp_path: Path,
) -> None:
    root = project(tmp_path)
    views = (
        (root / "polls/views.py")
        .read_text()
        .replace(
            "from django.views import generic\n",
            "from django.contrib.auth.mixins import LoginRequiredMixin\n"
            "from django.views import generic\n",
        )
    )
    views = views.replace(
        "class ResultsView(generic.DetailView):\n    model = Question\n",
        "class ResultsView(LoginRequiredMixin, generic.DetailView):\n    model = Question\n"
        '    queryset = Question.objects.filter(question_text__icontains="?")\n',
    )
    (root / "polls/views.py").write_text(views)
    (root / "polls/templates/polls/results.html").write_text("{{ question.question_text }}")
    code, _ = convert_module(root, "polls/views.py")
    assert (
        "class ResultsView(SelectedObjects, generic.DetailView):\n"
        "    model = tables.Question\n"
        "    queryset = ordered(select(tables.Question).where("
        'tables.Question.question_text.icontains("?", autoescape=True)))\n'
    ) in code
    assert "LoginRequiredMixin" not in code


DELETE_VIEWS = """
    from django.views import generic

    from .models import Question, Tag


    class QuestionDelete(generic.DeleteView):
        model = Question
        success_url = "/"


    class TagDelete(generic.DeleteView):
        model = Tag
        success_url = "/"
"""
DELETE_URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("q/<int:pk>/delete/", views.QuestionDelete.as_view(), name="question_delete"),
        path("t/<int:pk>/delete/", views.TagDelete.as_view(), name="tag_delete"),
    ]
"""


def test_a_delete_view_of_a_model_nothing_points_at_deletes_rows(tmp_path: Path) -> None:
    files = {
        "__init__.py": "",
        "polls/__init__.py": "",
        "polls/models.py": MODELS
        + "\n\n    class Tag(models.Model):\n        name = models.CharField()\n",
        "polls/views.py": DELETE_VIEWS,
        "polls/urls.py": DELETE_URLS,
        "polls/templates/polls/question_confirm_delete.html": "{{ object.question_text }}",
        "polls/templates/polls/tag_confirm_delete.html": "Delete {{ tag.name }}?",
    }
    root = write_project(tmp_path / "site", files)
    code, _ = convert_module(root, "polls/views.py", [ClassViewsRule])
    question, tag = convert_module(root, "polls/urls.py", [UrlsRule])[1]
    assert "class TagDelete(SelectedDeletion, generic.DeleteView):\n    model = tables.Tag" in code
    assert "from codemods.runtime.django.generic import SelectedDeletion" in code
    assert "class QuestionDelete(CollectedDeletion, generic.DeleteView):" in code
    assert "from codemods.runtime.django.collected_deletion import CollectedDeletion" in code
    assert (tag.status, question.status) == (Status.converted, Status.converted)


def test_a_delete_view_of_a_model_a_protecting_key_points_at_keeps_the_orm(
    tmp_path: Path,
) -> None:
    files = {
        "__init__.py": "",
        "polls/__init__.py": "",
        "polls/models.py": MODELS.replace("on_delete=models.CASCADE", "on_delete=models.PROTECT")
        + "\n\n    class Tag(models.Model):\n        name = models.CharField()\n",
        "polls/views.py": DELETE_VIEWS,
        "polls/urls.py": DELETE_URLS,
        "polls/templates/polls/question_confirm_delete.html": "{{ object.question_text }}",
        "polls/templates/polls/tag_confirm_delete.html": "Delete {{ tag.name }}?",
    }
    root = write_project(tmp_path / "site", files)
    question = convert_module(root, "polls/urls.py", [UrlsRule])[1][0]
    assert question.status == Status.partial
    assert (
        "stays on Django's ORM: SQLAlchemy rows cannot stand in: Choice.question points at "
        "Question: deleting a row through SQLAlchemy does not do what Django's on_delete does"
    ) in question.reasons


def test_a_get_context_data_adding_plain_values_keeps_the_rows(tmp_path: Path) -> None:
    root = project(tmp_path)
    views = (root / "polls/views.py").read_text()
    added = (
        "\n    def get_context_data(self, **kwargs):\n"
        "        context = super().get_context_data(**kwargs)\n"
        '        context["now"] = timezone.now()\n'
        "        return context\n"
    )
    replaced = added.replace('context["now"] = timezone.now()', 'context["object"] = None')
    views = views.replace(
        '    template_name = "polls/detail.html"\n',
        '    template_name = "polls/detail.html"\n' + added,
    ).replace(
        '    template_name = "polls/results.html"\n',
        '    template_name = "polls/results.html"\n' + replaced,
    )
    (root / "polls/views.py").write_text(views)
    (root / "polls/templates/polls/results.html").write_text("{{ question.question_text }}")
    _, detail, results = convert_module(root, "polls/urls.py", [UrlsRule])[1]
    assert (detail.status, results.status) == (Status.converted, Status.partial)
    assert any(
        "get_context_data" in r and "uses Django's ORM or the objects" in r for r in results.reasons
    )


def test_a_rows_view_calling_another_modules_querying_helper_stays_partial(
    tmp_path: Path,
) -> None:
    root = project(tmp_path)
    helpers = (
        "from .models import Choice\n\n\ndef count_votes():\n    return Choice.objects.count()\n"
    )
    (root / "polls/helpers.py").write_text(helpers)
    views = (
        (root / "polls/views.py")
        .read_text()
        .replace(
            "from .models import Question",
            "from .helpers import count_votes\nfrom .models import Question",
        )
        .replace(
            "class DetailView(generic.DetailView):",
            "    def get_context_data(self, **kwargs):\n"
            "        return {**super().get_context_data(**kwargs), 'votes': count_votes()}\n\n\n"
            "class DetailView(generic.DetailView):",
        )
    )
    (root / "polls/views.py").write_text(views)
    index = convert_module(root, "polls/urls.py", [UrlsRule])[1][0]
    assert index.status == Status.partial
    assert (
        "stays on Django's ORM: IndexView: it calls count_votes (polls.helpers), which queries "
        "on Django's ORM" in index.reasons
    )


def test_a_list_view_calling_a_custom_queryset_method_gets_the_chain_it_returns(
    tmp_path: Path,
) -> None:
    root = project(tmp_path)
    models = dedent(MODELS).replace(
        "class Question(models.Model):\n",
        "class QuestionQuerySet(models.QuerySet):\n"
        "    def recent(self, until):\n"
        "        return self.filter(pub_date__lte=until)\n\n\n"
        "class Question(models.Model):\n"
        "    objects = QuestionQuerySet.as_manager()\n",
    )
    (root / "polls" / "models.py").write_text(models, encoding="utf-8")
    views = (root / "polls" / "views.py").read_text(encoding="utf-8")
    views = views.replace(
        "Question.objects.filter(pub_date__lte=timezone.now())",
        "Question.objects.recent(timezone.now())",
    )
    (root / "polls" / "views.py").write_text(views, encoding="utf-8")

    code, _ = convert_module(root, "polls/views.py", [ClassViewsRule])

    assert f"return self.rows({STATEMENT})" in code


def test_a_view_other_classes_of_src_are_built_on_keeps_the_orm(tmp_path: Path) -> None:
    root = project(tmp_path)
    views = (root / "polls/views.py").read_text()
    views += "\n\nclass RecentView(IndexView):\n    paginate_by = 2\n"
    (root / "polls/views.py").write_text(views)
    index = convert_module(root, "polls/urls.py", [UrlsRule])[1][0]
    assert index.status == Status.partial
    assert (
        "stays on Django's ORM: SQLAlchemy rows cannot stand in: IndexView is the base of "
        "RecentView (classes of SRC)" in index.reasons
    )
    views_code, _ = convert_module(root, "polls/views.py", [ClassViewsRule])
    assert "class IndexView(generic.ListView):" in views_code


def test_a_template_reading_a_many_to_many_through_all_becomes_rows(tmp_path: Path) -> None:
    root = project(tmp_path)
    models = (
        (root / "polls/models.py")
        .read_text()
        .replace(
            '    pub_date = models.DateTimeField("date published")\n',
            '    pub_date = models.DateTimeField("date published")\n'
            '    tags = models.ManyToManyField("Tag", related_name="questions")\n',
        )
    )
    models += "\n\nclass Tag(models.Model):\n    name = models.CharField(max_length=20)\n"
    (root / "polls/models.py").write_text(models)
    (root / "polls/templates/polls/detail.html").write_text(
        "{{ question }} {% for tag in question.tags.all %}{{ tag.name }} "
        "{{ tag.questions.count }}{% endfor %}"
    )
    detail = convert_module(root, "polls/urls.py", [UrlsRule])[1][1]
    assert (detail.status, detail.reasons) == (Status.converted, [])


def test_a_delete_view_of_a_model_a_many_to_many_points_at_deletes_rows(tmp_path: Path) -> None:
    models = MODELS.replace(
        "        votes = models.IntegerField(default=0)\n",
        "        votes = models.IntegerField(default=0)\n"
        '        tags = models.ManyToManyField("Tag")\n',
    )
    assert "ManyToManyField" in models
    files = {
        "__init__.py": "",
        "polls/__init__.py": "",
        "polls/models.py": models
        + "\n\n    class Tag(models.Model):\n        name = models.CharField()\n",
        "polls/views.py": DELETE_VIEWS,
        "polls/urls.py": DELETE_URLS,
        "polls/templates/polls/question_confirm_delete.html": "{{ object.question_text }}",
        "polls/templates/polls/tag_confirm_delete.html": "Delete {{ tag.name }}?",
    }
    root = write_project(tmp_path / "site", files)
    tag = convert_module(root, "polls/urls.py", [UrlsRule])[1][1]
    assert (tag.status, tag.reasons) == (Status.converted, [])
    through = files["polls/models.py"].replace('("Tag")', '("Tag", through="Link")')
    (root / "polls/models.py").write_text(dedent(through))
    tag = convert_module(root, "polls/urls.py", [UrlsRule])[1][1]
    assert any("Choice.tags points at Tag" in reason for reason in tag.reasons)


MIXIN = """

class TitleMixin:
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"title": "Polls"})
        return context


class ObjectTitleMixin:
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = str(self.object)
        return context
"""


def project_with_mixin(tmp_path: Path, mixin: str) -> Path:
    root = project(tmp_path)
    views = (
        (root / "polls/views.py")
        .read_text()
        .replace("\n\nclass IndexView", MIXIN + "\n\nclass IndexView")
    )
    views = views.replace(
        "class DetailView(generic.DetailView):", f"class DetailView({mixin}, generic.DetailView):"
    )
    (root / "polls/views.py").write_text(views)
    return root


def test_a_mixin_of_src_that_neither_queries_nor_sees_the_objects_stays_under_the_rows(
    tmp_path: Path,
) -> None:
    root = project_with_mixin(tmp_path, "TitleMixin")
    code, _ = convert_module(root, "polls/views.py", [ClassViewsRule])
    assert (
        "class DetailView(SelectedObjects, TitleMixin, generic.DetailView):\n"
        "    model = tables.Question"
    ) in code
    detail = convert_module(root, "polls/urls.py", [UrlsRule])[1][1]
    assert (detail.status, detail.reasons) == (Status.converted, [])


def test_a_mixin_of_src_reading_the_objects_keeps_the_orm(tmp_path: Path) -> None:
    root = project_with_mixin(tmp_path, "ObjectTitleMixin")
    code, _ = convert_module(root, "polls/views.py", [ClassViewsRule])
    assert "class DetailView(ObjectTitleMixin, generic.DetailView):\n    model = Question" in code
    detail = convert_module(root, "polls/urls.py", [UrlsRule])[1][1]
    assert detail.status == Status.partial
    assert (
        "stays on Django's ORM: SQLAlchemy rows cannot stand in: DetailView: base "
        "ObjectTitleMixin reads self.object: the objects" in detail.reasons
    )
