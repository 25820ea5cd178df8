"""The names Django's lookups accept on a model (`filter(name=...)`, `name__lookup`, `name__other`),
read from the legacy models with `ast`: a name outside them makes Django raise FieldError, while
its SQLAlchemy twin may run (`tables.Message.is_new == True` compares a method: no row), so the
queries rule refuses such a lookup (querysets.py).

A model's names: `pk`, `id`, each field its class body assigns (a call other than a manager),
the `<name>_id` of its keys, and every name a model of SRC may add to another one
(absent.reverse_names: related names, model classes in lower case). Only a model built on
`models.Model` alone whose body is plain assignments and definitions, one class of that name in
the models modules, is known, unless the models modules add fields from outside a class body
(`Model.add_to_class`); models outside SRC pointing at it are not known.
"""

from __future__ import annotations

import ast

from codemods.django.absent import UNKNOWN, plain_model, reverse_names
from codemods.engine.parsed import parse_ast_shared
from codemods.engine.run_cache import once_a_run

LookupNames = dict[str, frozenset[str]]  # model class -> the names its lookups accept
KEY_KINDS = ("ForeignKey", "OneToOneField", "ParentalKey")  # a `<name>_id` column (attname)
MANAGER_FACTORIES = ("as_manager", "from_queryset")
FIELD_MANAGERS = frozenset({"TaggableManager"})  # django-taggit's field, named as a manager
FIELD_ADDERS = ("add_to_class", "contribute_to_class")  # fields given from outside the body
# statements of a class body binding no name other than those read here
PLAIN_STATEMENTS = (
    ast.Assign, ast.AnnAssign, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Expr,
    ast.Pass,
)  # fmt: skip


@once_a_run
def read_lookup_names(sources: list[str]) -> LookupNames:
    """Per model class known in full (see the module's docstring), its lookup names."""
    foreign = reverse_names(sources)
    if UNKNOWN in foreign or any(adder in s for s in sources for adder in FIELD_ADDERS):
        return {}
    classes: dict[str, list[ast.ClassDef]] = {}
    for source in sources:
        try:
            tree = parse_ast_shared(source)
        except SyntaxError:
            return {}
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                classes.setdefault(node.name, []).append(node)
    found: LookupNames = {}
    for name, nodes in classes.items():
        if len(nodes) != 1 or not plain_model(nodes[0]):
            continue
        own = _field_names(nodes[0])
        if own is not None:
            found[name] = frozenset({"pk", "id", *own, *foreign})
    return found


def _field_names(node: ast.ClassDef) -> set[str] | None:
    """The fields the class body assigns and its keys' `<name>_id`; None when the body binds
    names in a way not read here."""
    names: set[str] = set()
    for item in node.body:
        if isinstance(item, ast.Assign | ast.AnnAssign) and isinstance(item.value, ast.Call):
            targets = item.targets if isinstance(item, ast.Assign) else [item.target]
            kind = _kind(item.value)
            if kind in MANAGER_FACTORIES or (
                kind.endswith("Manager") and kind not in FIELD_MANAGERS
            ):
                continue
            for target in targets:
                if not isinstance(target, ast.Name):
                    return None
                names.add(target.id)
                if kind.endswith(KEY_KINDS):
                    names.add(f"{target.id}_id")
        elif not isinstance(item, PLAIN_STATEMENTS):
            return None
    return names


def _kind(call: ast.Call) -> str:
    """The called name, last part: `models.ForeignKey['User'](...)` -> "ForeignKey"."""
    func = call.func.value if isinstance(call.func, ast.Subscript) else call.func
    return ast.unparse(func).rsplit(".", 1)[-1]
