"""A `TemplateView` whose only method is a `get_context_data` putting rows in the context:
Django's `TemplateView.get` renders `template_name` with that context and nothing else sees it,
so the rows may be SQLAlchemy rows when the template reads only what they have
(template_reads.py). class_queries.py asks this before refusing a non-handler making rows.

    class DatabaseConnectionUploadCreateView(TemplateView):
        template_name = "connections/connection_upload.html"

        def get_context_data(self, **kwargs):
            context = super().get_context_data(**kwargs)
            context["valid_connections"] = DatabaseConnection.objects.filter(...)
            return context

The method is: `name = super().get_context_data(**kwargs)`, then `name["key"] = <queryset>`
statements (each translated chain a list of rows, or a value that is no row), then
`return name`; the class's bases are `TemplateView` and Django's access mixins, its other
members plain class attributes, its `template_name` a string literal.
"""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst

from codemods.django.analysis import ClassInfo
from codemods.django.class_views import ACCESS_MIXINS
from codemods.django.function_templates import TABLE, _listing
from codemods.django.querysets import Translation
from codemods.django.template_reads import ModelFacts, Reads, template_problems
from codemods.engine.walk import in_order

METHOD = "get_context_data"


def context_rows_problems(
    node: cst.ClassDef,
    info: ClassInfo | None,
    function: cst.FunctionDef,
    translations: dict[cst.CSTNode, Translation],
    classes: dict[str, str],
    facts: dict[str, ModelFacts],
    root: Path,
) -> list[str] | None:
    """Why the rows cannot stand in (empty: they can), or None when the view is not written
    this way (the caller's reason stands)."""
    if function.name.value != METHOD or info is None or not _plain_template_view(node, info):
        return None
    template = _template_name(node)
    reads = _context_reads(function, translations, classes)
    if template is None or reads is None:
        return None
    for model in reads.lists.values():
        if model not in facts:
            return [f"model {model} is not a class of a models module the codemod reads"]
    return [
        f"SQLAlchemy rows cannot stand in: {p}"
        for p in template_problems(root, template, reads, facts)
    ]


def _plain_template_view(node: cst.ClassDef, info: ClassInfo) -> bool:
    names = [base.name.rsplit(".", 1)[-1] for base in info.bases]
    if any(base.module is not None for base in info.bases) or "TemplateView" not in names:
        return False
    if any(n not in ("TemplateView", *ACCESS_MIXINS) for n in names):
        return False
    assert isinstance(node.body, cst.IndentedBlock)
    methods = [s for s in node.body.body if isinstance(s, cst.FunctionDef)]
    return [m.name.value for m in methods] == [METHOD] and all(
        isinstance(s, cst.FunctionDef | cst.SimpleStatementLine) for s in node.body.body
    )


def _template_name(node: cst.ClassDef) -> str | None:
    assert isinstance(node.body, cst.IndentedBlock)
    for statement in node.body.body:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name)
            and small.targets[0].target.value == "template_name"
            and isinstance(small.value, cst.SimpleString)
        ):
            value = ast.literal_eval(small.value.value)
            return value if isinstance(value, str) else None
    return None


def _context_reads(
    function: cst.FunctionDef,
    translations: dict[cst.CSTNode, Translation],
    classes: dict[str, str],
) -> Reads | None:
    """The context keys holding rows (`Reads.lists`), or None when the method is written
    otherwise than described above."""
    body = [
        s.body[0] if isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1 else None
        for s in function.body.body
    ]
    if len(body) < 2 or not isinstance(body[0], cst.Assign) or not isinstance(body[-1], cst.Return):
        return None
    first, last = body[0], body[-1]
    code = cst.Module(body=[]).code_for_node
    if len(first.targets) != 1 or not isinstance(first.targets[0].target, cst.Name):
        return None
    name = first.targets[0].target.value
    if code(first.value) != "super().get_context_data(**kwargs)":
        return None
    if not (isinstance(last.value, cst.Name) and last.value.value == name):
        return None
    reads = Reads()
    placed: set[int] = set()
    for small in body[1:-1]:
        if not isinstance(small, cst.Assign) or len(small.targets) != 1:
            return None
        target = small.targets[0].target
        element = target.slice[0].slice if isinstance(target, cst.Subscript) else None
        if not (
            isinstance(target, cst.Subscript)
            and isinstance(target.value, cst.Name)
            and target.value.value == name
            and len(target.slice) == 1
            and isinstance(element, cst.Index)
            and isinstance(element.value, cst.SimpleString)
        ):
            return None
        if _names(small.value, name):
            return None  # the context read back: its rows reach what the check does not see
        key = ast.literal_eval(element.value.value)
        translation = translations.get(small.value)
        if translation is not None and _listing(small.value) is not None:
            found = TABLE.search(translation.code)
            if found is None or not _listing(small.value):
                return None  # one row: read through other paths the check does not cover
            local = found.group(1)
            reads.lists[str(key)] = classes.get(local, local)
            placed.add(id(small.value))
    if any(_listing(chain) is not None and id(chain) not in placed for chain in translations):
        return None  # rows made elsewhere in the method
    return reads


def _names(node: cst.CSTNode, name: str) -> bool:
    class Names(cst.CSTVisitor):
        found = False

        def visit_Name(self, seen: cst.Name) -> None:
            if seen.value == name:
                self.found = True

    names = Names()
    in_order(node, names)
    return names.found
