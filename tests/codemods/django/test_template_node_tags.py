"""SRC's `@register.tag` tags that compile their words into a `Node` of their module
(django-postman's `postman_order_by`, `postman_unread`, its `autopaginate` stand-in) are read
from the node's `render`: the context keys it reads, none of its words a value of the template
unless something resolves them. What is not read that way stays "a tag of its own"."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.model_relations import read_relations
from codemods.django.template_reads import Reads, read_models, template_problems
from codemods.django.template_tags import read_tags

MODELS = dedent(
    """
    from django.db import models


    class Message(models.Model):
        subject = models.CharField(max_length=120)
    """
)

NODE_TAGS = """
from django.http import QueryDict
from django.template import Library, Node, Variable

register = Library()


class AutoPaginateNode(Node):
    def render(self, context):
        return ''


@register.tag
def autopaginate(parser, token):
    return AutoPaginateNode()


class OrderByNode(Node):
    def __init__(self, code):
        self.code = code

    def render(self, context):
        gets = context['gets'].copy() if 'gets' in context else QueryDict('').copy()
        return '?' + gets.urlencode()


@register.tag
def order_by(parser, token):
    tag_name, field_name = token.split_contents()
    return OrderByNode(field_name[:1])


class CountNode(Node):
    def __init__(self, asvar=None):
        self.asvar = asvar

    def render(self, context):
        count = str(context['user'].pk)
        if self.asvar:
            context[self.asvar] = count
            return ''
        return count


@register.tag
def unread(parser, token):
    bits = token.split_contents()
    return CountNode(bits[2]) if len(bits) == 3 else CountNode()


class FirstNode(Node):
    def __init__(self, name):
        self.rows = Variable(name)

    def render(self, context):
        return str(self.rows.resolve(context)[0].subject)


@register.tag
def first(parser, token):
    return FirstNode(token.split_contents()[1])


class BlockNode(Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return self.nodelist.render(context)


@register.tag
def block_of_mine(parser, token):
    nodelist = parser.parse(('endblock_of_mine',))
    parser.delete_first_token()
    return BlockNode(nodelist)


class AddNode(Node):
    def __init__(self, name):
        self.name = name

    def render(self, context):
        context[self.name] += 1
        return ''


@register.tag
def add_one(parser, token):
    return AddNode(token.split_contents()[1])


class RowsNode(Node):
    def render(self, context):
        return str(len(context['pm_messages']))


@register.tag
def how_many(parser, token):
    return RowsNode()
"""


def write_app(tmp_path: Path, template: str) -> None:
    for name, text in {
        "templatetags/__init__.py": "",
        "templatetags/node_tags.py": NODE_TAGS,
        "templates/page.html": template,
    }.items():
        path = tmp_path / "app" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")


def problems(tmp_path: Path, template: str) -> list[str]:
    write_app(tmp_path, template)
    facts = read_models([MODELS], read_relations([MODELS]))
    reads = Reads(lists={"pm_messages": "Message"}, plain=True)
    return template_problems(tmp_path, "page.html", reads, facts)


def test_a_node_tag_reads_the_keys_its_render_reads_by_literal_keys(tmp_path: Path) -> None:
    write_app(tmp_path, "")
    tags = read_tags(tmp_path)
    assert tags["order_by"].context_keys == frozenset({"gets"})
    assert tags["autopaginate"].context_keys == frozenset()


def test_a_key_a_node_only_sets_is_not_read(tmp_path: Path) -> None:
    write_app(tmp_path, "")
    assert read_tags(tmp_path)["unread"].context_keys == frozenset({"user"})


def test_rows_named_in_a_node_tag_s_words_are_no_problem_when_no_word_is_resolved(
    tmp_path: Path,
) -> None:
    page = "{% load node_tags %}{% autopaginate pm_messages %}{% order_by subject %}"
    assert problems(tmp_path, page + "{% unread as count %}") == []


def test_a_node_tag_resolving_a_variable_is_not_known(tmp_path: Path) -> None:
    assert problems(tmp_path, "{% load node_tags %}{% first pm_messages %}") == [
        "template page.html uses {% first %}, a tag of its own: it may read the objects from "
        "the context"
    ]


def test_a_node_tag_using_the_parser_is_not_known(tmp_path: Path) -> None:
    page = "{% load node_tags %}{% block_of_mine %}{% endblock_of_mine %}"
    assert problems(tmp_path, page)[0] == (
        "template page.html uses {% block_of_mine %}, a tag of its own: it may read the objects "
        "from the context"
    )


def test_a_node_tag_reading_the_rows_from_the_context_is_a_problem(tmp_path: Path) -> None:
    assert problems(tmp_path, "{% load node_tags %}{% how_many %}") == [
        "template page.html uses {% how_many %}, which reads pm_messages"
    ]


def test_a_key_a_node_adds_to_is_read(tmp_path: Path) -> None:
    write_app(tmp_path, "")
    assert "add_one" not in read_tags(tmp_path)
