"""The custom managers of the legacy models that are plain filters, read with `ast`:

    class PublishedManager(models.Manager):
        def get_queryset(self):
            return super().get_queryset().filter(status=Post.Status.PUBLISHED)

    class Post(models.Model):
        published = PublishedManager()

gives {"Post": {"published": ["status=Post.Status.PUBLISHED"]}}: `Post.published` starts a
queryset with those lookups (querysets.py). A manager doing anything else (other methods,
`exclude`, annotations) is not listed, and queries through it stay on Django's ORM."""

from __future__ import annotations

import ast

from codemods.engine.parsed import parse_ast_shared

Managers = dict[str, dict[str, list[str]]]  # model -> manager attribute -> filter keywords


def _plain_filter(node: ast.ClassDef) -> list[str] | None:
    """The keywords of `get_queryset` when it is `super().get_queryset().filter(**lookups)`
    and the class defines nothing else."""
    methods = [item for item in node.body if not isinstance(item, ast.Expr)]
    if len(methods) != 1 or not isinstance(methods[0], ast.FunctionDef):
        return None
    method = methods[0]
    if method.name != "get_queryset" or len(method.body) != 1:
        return None
    returned = method.body[0]
    if not isinstance(returned, ast.Return) or not isinstance(returned.value, ast.Call):
        return None
    call = returned.value
    if not isinstance(call.func, ast.Attribute) or call.func.attr != "filter" or call.args:
        return None
    if ast.unparse(call.func.value) != "super().get_queryset()":
        return None
    if any(keyword.arg is None for keyword in call.keywords):
        return None
    return [f"{keyword.arg}={ast.unparse(keyword.value)}" for keyword in call.keywords]


def read_managers(sources: list[str]) -> Managers:
    filters: dict[str, list[str]] = {}
    trees = []
    for source in sources:
        try:
            trees.append(parse_ast_shared(source))
        except SyntaxError:
            continue
    for tree in trees:
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                lookups = _plain_filter(node)
                if lookups is not None:
                    filters[node.name] = lookups
    managers: Managers = {}
    for tree in trees:
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            for item in node.body:
                if not (isinstance(item, ast.Assign) and isinstance(item.value, ast.Call)):
                    continue
                manager = ast.unparse(item.value.func).rsplit(".", 1)[-1]
                target = item.targets[0] if len(item.targets) == 1 else None
                if manager in filters and isinstance(target, ast.Name) and not item.value.args:
                    managers.setdefault(node.name, {})[target.id] = filters[manager]
    return managers
