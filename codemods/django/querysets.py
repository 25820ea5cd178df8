"""One Django queryset expression -> the SQLAlchemy 2.0 code that runs it on a session, or the
reason it stays on Django's ORM. Pure: source in, source out; the queries rule places it.

    Post.objects.filter(status="published").order_by("-created")[:5]
->  session.scalars(select(tables.Post).where(tables.Post.status == "published")
                    .order_by(tables.Post.created.desc()).offset(0).limit(5)).all()

A chain starts at `Model.objects` (or `get_object_or_404(Model or chain, **lookups)`) and is
made of `all`, `filter`, `exclude`, `order_by`, `select_related`, `prefetch_related`, then at
most one of `get`, `first`, `count`, `exists`, `create`, `update`, `delete`, or a constant slice.
Lookups: `exact`, `in`, `gt`/`gte`/`lt`/`lte`, `icontains`, `isnull`, and one level of relation
traversal by equality (`tags__slug=...`). A list carries Django's default ordering
(`ordered(...)`, from the generated model's `__ordering__`) unless `order_by` is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import libcst as cst

from codemods.django.auth_group import GROUP_CLASS, USER_GROUPS, groups_generated
from codemods.django.f_expressions import NotAColumnExpression, column_expression, contains_f
from codemods.django.get_or_create import (
    get_or_create_translation,
    update_or_create_translation,
)
from codemods.django.literal_keys import Keys
from codemods.django.managers import Managers
from codemods.django.model_relations import (
    Relation,
    Relations,
    cascade_plan,
    lookup_names_of,
    user_rows,
    user_sets,
)
from codemods.django.queryset_methods import Methods, QuerySetMethod
from codemods.django.sites_site import SITE_CLASS
from codemods.engine.nodes import descendants, dotted_name, string_value
from codemods.engine.traverse import visit

T = TypeVar("T")
SESSION = "session"
TABLES = "tables"  # the generated models module, imported under this name
CHAIN_METHODS = frozenset(
    {
        "all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "none",
        "distinct", "only", "defer",
    }
)  # fmt: skip
# Django's aggregates `.aggregate()` translates, and their SQL functions
AGGREGATES = {"Max": "max", "Min": "min", "Sum": "sum", "Count": "count"}
TERMINALS = frozenset(
    {
        "get",
        "first",
        "last",
        "count",
        "exists",
        "create",
        "update",
        "get_or_create",
        "update_or_create",
    }
)
COMPARISONS = {"exact": "==", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
RUNTIME = "codemods.runtime.django.queries"
PREFETCH_RUNTIME = "codemods.runtime.django.prefetch"
INSTANCES = "codemods.runtime.django.instances"
# a queryset variable given to a template: `context_rows(session, stmt)` (view_queries.py)
CONTEXT_ROWS_MODULE = "codemods.runtime.django.context_rows"
CONTEXT_ROWS = "context_rows"
# Django's other lookups and transforms: not in the mapping, the query stays on the ORM
OTHER_LOOKUPS = frozenset(
    {
        "iexact", "contains", "startswith", "istartswith", "endswith", "iendswith", "range",
        "regex", "iregex", "search", "iso_year", "month", "day", "week", "week_day",
        "iso_week_day", "quarter", "date", "time", "hour", "minute", "second", "contained_by",
        "overlap", "has_key", "has_keys", "has_any_keys", "len", "unaccent", "trigram_similar",
    }
)  # fmt: skip


@dataclass
class Translation:
    """The SQLAlchemy code of one queryset, and the names it needs imported."""

    code: str
    imports: set[tuple[str, str]] = field(default_factory=set)


class Unconvertible(Exception):
    """The queryset uses something outside the mapping: it stays on Django's ORM."""


def _source(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _string(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        if isinstance(value, str):
            return value
    raise Unconvertible(f"{_source(node)}: only string field names are converted")


_CONSTANTS = ("True", "False", "None")


@dataclass(frozen=True)
class _Step:
    """One relation of a lookup's path: the relationship attribute, the model it leads to."""

    attribute: str
    model: str
    to_many: bool  # a many-to-many field or a reverse foreign key


@dataclass
class _Chain:
    model: str
    relations: dict[str, Relation] = field(default_factory=dict)
    wheres: list[str] = field(default_factory=list)
    order: list[str] | None = None
    options: list[str] = field(default_factory=list)
    imports: set[tuple[str, str]] = field(default_factory=set)
    base: str | None = None  # a variable holding the statement this chain goes on from
    columns: list[str] = field(default_factory=list)  # annotations: `func.count(...).label()`
    joins: list[str] = field(default_factory=list)
    all_relations: Relations = field(default_factory=dict)
    keys: Keys = field(default_factory=dict)
    joined: dict[str, str] = field(default_factory=dict)  # model -> the relation joining it
    prefetches: list[str] = field(default_factory=list)  # `prefetch(...)` calls (prefetch.py)
    prefetched: dict[str, str] = field(default_factory=dict)  # their to_attr -> related model
    distinct: bool = False  # `.distinct()`: SELECT DISTINCT over the model's columns

    @property
    def table(self) -> str:
        return f"{TABLES}.{self.model}"

    def column(self, name: str) -> str:
        return f"{self.table}.{'id' if name == 'pk' else name}"

    def condition(self, arg: cst.Arg) -> str:
        if arg.star == "**" and isinstance(arg.value, cst.Dict):
            return self.keyed(arg.value)
        if arg.star:
            raise Unconvertible(f"{_source(arg.value)}: ** lookups stay")
        if arg.keyword is None:
            return self.q(arg.value)
        return self.lookup(arg.keyword.value, _source(arg.value))

    def keyed(self, node: cst.Dict) -> str:
        """`**{"status": s, field: v}`: a literal key is a lookup; a name holding one of known
        strings (literal_keys.py), each a column of the model, is that column's equality
        (`getattr(tables.Topic, field) == v`: `== None` is SQL's IS NULL, as Django's)."""
        conditions = []
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                raise Unconvertible(f"{_source(node)}: ** of a dict with ** inside stays")
            value = _source(element.value)
            key = element.key
            literal = _string(key) if isinstance(key, cst.SimpleString) else None
            if literal is not None:
                conditions.append(self.lookup(literal, value))
                continue
            names = self.keys.get(key.value) if isinstance(key, cst.Name) else None
            if names is None:
                raise Unconvertible(f"{_source(node)}: a computed key (not one of known names)")
            self.columns_named(names, _source(key))
            conditions.append(f"getattr({self.table}, {_source(key)}) == {value}")
        if len(conditions) == 1:
            return conditions[0]
        self.imports.add(("sqlalchemy", "and_"))
        return f"and_({', '.join(conditions)})"

    def named(self, keyword: str, name: str) -> None:
        """`name` is a field or relation of the model, as Django's lookup `keyword` needs (else
        Django raises FieldError), when the model's names are known (lookup_names.py)."""
        known = lookup_names_of(self.all_relations, self.model)
        if known is not None and name not in known:
            raise Unconvertible(
                f"{keyword}: {name!r} is not a field of {self.model} (Django raises FieldError)"
            )

    def columns_named(self, names: frozenset[str], key: str) -> None:
        """Each of `names` (the values `key` can hold) is a plain column of the model."""
        sets = model_sets(self.all_relations)
        for name in sorted(names):
            if "__" in name or name == "pk" or not name.isidentifier():
                raise Unconvertible(f"{key} may be {name!r}: not a column of {self.model}")
            if name in self.relations or (self.model, name) in sets:
                raise Unconvertible(f"{key} may be {name!r}: a relation of {self.model}")
            self.named(key, name)

    def q(self, node: cst.BaseExpression) -> str:
        """A `Q(...)` expression: `|` -> or_, `&` -> and_, `~` -> not_."""
        if isinstance(node, cst.BinaryOperation) and isinstance(
            node.operator, cst.BitOr | cst.BitAnd
        ):
            joined = "or_" if isinstance(node.operator, cst.BitOr) else "and_"
            self.imports.add(("sqlalchemy", joined))
            return f"{joined}({self.q(node.left)}, {self.q(node.right)})"
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.BitInvert):
            self.imports.add(("sqlalchemy", "not_"))
            return f"not_({self.q(node.expression)})"
        if isinstance(node, cst.Call) and dotted_name(node.func) in ("Q", "models.Q"):
            if not node.args or any(a.keyword is None or a.star for a in node.args):
                raise Unconvertible(f"{_source(node)}: only Q(field=value, ...) is converted")
            conditions = [self.condition(arg) for arg in node.args]
            if len(conditions) == 1:
                return conditions[0]
            self.imports.add(("sqlalchemy", "and_"))
            return f"and_({', '.join(conditions)})"
        raise Unconvertible(f"{_source(node)}: positional filters other than Q stay")

    def lookup(self, keyword: str, value: str) -> str:
        parts = keyword.split("__")
        if len(parts) > 1 and parts[-1] in OTHER_LOOKUPS:
            raise Unconvertible(f"{keyword}: the __{parts[-1]} lookup stays")
        lookup = parts.pop() if len(parts) > 1 and parts[-1] in _LOOKUPS else "exact"
        self.named(keyword, parts[0])
        if len(parts) > 1:
            return self.traversal(keyword, parts, lookup, value)
        if self.model == GROUP_CLASS and parts == ["user"] and lookup == "exact":
            self.imports.add((RUNTIME, "in_user_groups"))  # the groups the user is in
            return f"in_user_groups({self.table}.id, {value})"
        relation = self.relations.get(parts[0])
        if relation is not None and relation.target == GROUP_CLASS and lookup == "in":
            user = user_groups_owner(value)
            if user is not None:  # `group__in=request.user.groups.all()`: the user's groups
                self.imports.add((RUNTIME, "in_user_groups"))
                return f"in_user_groups({self.column(parts[0] + '_id')}, {user})"
        if relation is not None and not relation.to_one and lookup == "exact":
            return self.linked(keyword, parts[0], relation, value)
        if relation is not None:
            if not relation.to_one or lookup not in ("exact", "isnull", "in"):
                raise Unconvertible(f"{keyword}: only a to-one relation by key")
            parts[0] += "_id"
            if lookup == "exact":
                self.imports.add((RUNTIME, "pk_of"))
                value = f"pk_of({value})"
            elif lookup == "in":  # `thread__in=[...]`: instances or keys, as Django takes them
                self.imports.add((RUNTIME, "pks_of"))
                value = f"pks_of({value})"
        column = self.column(parts[0])
        if lookup == "exact" and value in ("True", "False", "None"):
            return f"{column}.is_({value})"  # what ruff asks of `== True` (E712) and `== None`
        if lookup in COMPARISONS:
            return f"{column} {COMPARISONS[lookup]} {value}"
        if lookup == "in":
            return f"{column}.in_({value})"
        if lookup == "icontains":
            return f"{column}.icontains({value}, autoescape=True)"
        if lookup == "year":
            self.imports.add((RUNTIME, "in_year"))
            return f"in_year({column}, {value})"
        self.imports.add((RUNTIME, "is_null"))
        return f"is_null({column}, {value})"

    def linked(self, keyword: str, name: str, relation: Relation, value: str) -> str:
        """`assigned_to=user` on a many-to-many field: the rows linked to that object, an
        EXISTS on the association table. Django's join matches each row at most once here (a
        link is unique per pair), so no row is doubled."""
        if not relation.mapped or relation.target is None or value in _CONSTANTS:
            raise Unconvertible(f"{keyword}: only a many-to-many field's links to one object")
        self.imports |= {(RUNTIME, "related"), (RUNTIME, "pk_of")}
        return f"related({self.column(name)}, id=pk_of({value}))"

    def traversal(self, keyword: str, parts: list[str], lookup: str, value: str) -> str:
        """`topic__category__parent__is_removed=False`: one EXISTS per relation on the path
        (`related(tables.Comment.topic, related(tables.Topic.category, ...))`), the lookup on
        the last model's field inside. Django joins the path; for to-one relations a row
        matches the join exactly when it matches the EXISTS."""
        names, last = parts[:-1], parts[-1]
        steps = self.path(keyword, names)
        self.imports.add((RUNTIME, "related"))
        if steps is None:  # the related model is not known: the relationship's keywords
            if len(names) == 1 and lookup == "exact":
                return f"related({self.column(names[0])}, {last}={value})"
            raise Unconvertible(f"{keyword}: the model its relations lead to is not known")
        target = steps[-1].model
        end = _Chain(target, self.all_relations.get(target, {}), all_relations=self.all_relations)
        plain = last != "pk" and last not in end.relations
        end.named(keyword, last)
        if len(steps) == 1 and lookup == "exact" and plain and value not in _CONSTANTS:
            return f"related({steps[0].attribute}, {last}={value})"
        missing = lookup == "isnull" or (lookup == "exact" and value == "None")
        if missing:  # Django's LEFT JOIN: no related row counts as a null
            if any(step.to_many for step in steps):
                raise Unconvertible(f"{keyword}: a null test through a to-many relation stays")
            if value not in _CONSTANTS:
                raise Unconvertible(f"{keyword}: a null test through relations needs True/False")
            condition = end.lookup(f"{last}__isnull", "False")
        else:
            condition = end.lookup(f"{last}__{lookup}", value)
        self.imports |= end.imports
        for step in reversed(steps):
            condition = f"related({step.attribute}, {condition})"
        if missing and value in ("True", "None"):
            self.imports.add(("sqlalchemy", "not_"))
            condition = f"not_({condition})"
        return condition

    def path(self, keyword: str, names: list[str]) -> list[_Step] | None:
        """The relations `names` walk from the chain's model, or None when a related model is
        not known (no relations read)."""
        sets = model_sets(self.all_relations)
        steps: list[_Step] = []
        model = self.model
        seen = {model}
        for name in names:
            relation = self.all_relations.get(model, {}).get(name)
            if relation is not None and not relation.mapped:
                raise Unconvertible(
                    f"{model}.{name}: its related model is not generated (only {name}_id)"
                )
            if relation is not None and relation.target is not None:
                step = _Step(f"{TABLES}.{model}.{name}", relation.target, not relation.to_one)
            elif relation is None and (model, name) in sets:
                target, attribute = sets[(model, name)]
                step = _Step(attribute, target, True)
            elif relation is None and (model, name) in keyed_sets(self.all_relations):
                target, attribute = keyed_sets(self.all_relations)[(model, name)]
                self.imports.add((RUNTIME, "keyed_rows"))
                step = _Step(attribute, target, True)
            elif relation is not None or not self.all_relations:
                return None
            else:  # e.g. a reverse relation another models module declares
                raise Unconvertible(f"{model}.{name}: not a relation the generated model has")
            if step.model in seen and step.model != model:
                raise Unconvertible(
                    f"{keyword}: comes back to {step.model} through another relation"
                )
            seen.add(step.model)
            steps.append(step)
            model = step.model
        return steps

    def where(self, args: list[cst.Arg], negate: bool) -> None:
        # Django: an exclude()'s lookups need not hold on one related row, a filter()'s do
        conditions = [self.condition(arg) for arg in args] if negate else self.same_rows(args)
        if not conditions:
            return
        if negate:
            self.imports.add(("sqlalchemy", "not_"))
            self.imports.add(("sqlalchemy", "and_"))
            self.wheres.append(f"not_(and_({', '.join(conditions)}))")
        else:
            self.wheres.extend(conditions)

    def same_rows(self, args: list[cst.Arg]) -> list[str]:
        """The conditions of one `filter()`: its keyword lookups through one to-many relation
        (`topicunread__user=u, topicunread__is_read=False`) hold on the same related row, as
        Django's single join makes them: one EXISTS for them all."""
        shared: dict[str, list[tuple[str, cst.BaseExpression]]] = {}
        for arg in args:
            if arg.keyword is not None and not arg.star and "__" in arg.keyword.value:
                head, rest = arg.keyword.value.split("__", 1)
                if self.to_many(head):
                    shared.setdefault(head, []).append((rest, arg.value))
        conditions: list[str] = []
        done: set[str] = set()
        for arg in args:
            key = arg.keyword.value.split("__", 1)[0] if arg.keyword is not None else ""
            if len(shared.get(key, [])) < 2:
                conditions.append(self.condition(arg))
            elif key not in done:
                done.add(key)
                conditions.append(self.on_one_row(key, shared[key]))
        return conditions

    def to_many(self, name: str) -> bool:
        try:
            steps = self.path(name, [name])
        except Unconvertible:
            return False
        return steps is not None and bool(steps) and steps[0].to_many

    def on_one_row(self, head: str, lookups: list[tuple[str, cst.BaseExpression]]) -> str:
        steps = self.path(head, [head])
        assert steps
        step = steps[0]
        relations = self.all_relations
        rows = _Chain(step.model, relations.get(step.model, {}), all_relations=relations)
        rows.keys = self.keys
        inner = rows.same_rows([cst.Arg(value, keyword=cst.Name(rest)) for rest, value in lookups])
        self.imports |= rows.imports | {(RUNTIME, "related"), ("sqlalchemy", "and_")}
        return f"related({step.attribute}, and_({', '.join(inner)}))"

    def order_by(self, args: list[cst.Arg]) -> None:
        order = []
        for arg in args:
            name = _string(arg.value)
            if name == "?":
                raise Unconvertible(f"order_by({name!r}): only fields of the model are converted")
            field = name.removeprefix("-")
            column = self.related_column(name, field) if "__" in field else self.column(field)
            order.append(f"{column}.desc()" if name.startswith("-") else column)
        self.order = order

    def related_column(self, name: str, field: str) -> str:
        """`order_by("query__title")`: the column of the model its to-one relations lead to,
        reached by LEFT OUTER JOINs (Django's INNER JOIN of a non-null key gives the same rows;
        a null key's row is kept with a NULL, as Django's outer join keeps it)."""
        *names, last = field.split("__")
        steps = self.path(name, names) if self.base is None else None
        if steps is None or any(step.to_many for step in steps):
            raise Unconvertible(
                f"order_by({name!r}): only fields of the model or of its to-one relations"
            )
        joined = {self.model: self.table, **self.joined}
        for step in steps:
            if joined.setdefault(step.model, step.attribute) != step.attribute:
                raise Unconvertible(f"order_by({name!r}): joins {step.model} a second time")
        end = self.all_relations.get(steps[-1].model, {})
        if last in end:  # Django orders by the related model's own Meta.ordering
            raise Unconvertible(f"order_by({name!r}): a relation, ordered by its model's ordering")
        for step in steps:
            if step.attribute not in self.joins:
                self.joins.append(step.attribute)
                self.joined[step.model] = step.attribute
        return f"{TABLES}.{steps[-1].model}.{'id' if last == 'pk' else last}"

    def create_field(self, arg: cst.Arg) -> str:
        """A keyword of `create()`: a relation left as a bare key is given by key."""
        if arg.star == "**" and arg.keyword is None:
            if isinstance(arg.value, cst.Dict):  # its keys must be columns, as in keyed()
                for element in arg.value.elements:
                    key = element.key if isinstance(element, cst.DictElement) else None
                    literal = _string(key) if isinstance(key, cst.SimpleString) else None
                    names = self.keys.get(key.value) if isinstance(key, cst.Name) else None
                    if literal is not None:
                        names = frozenset({literal})
                    if names is None:
                        raise Unconvertible(f"{_source(arg.value)}: a key not of known names")
                    self.columns_named(names, _source(key) if key is not None else "**")
            return f"**{_source(arg.value)}"
        if arg.keyword is None or arg.star:
            raise Unconvertible(f"create({_source(arg.value)}): only keyword fields")
        if contains_f(arg.value):
            raise Unconvertible(f"{arg.keyword.value}=F(...): F() outside update() stays")
        name = arg.keyword.value
        relation = self.relations.get(name)
        if relation is not None and not relation.to_one:
            raise Unconvertible(f"create({name}=...): a many-to-many field")
        if relation is not None and (not relation.mapped or relation.to_user):
            self.imports.add((RUNTIME, "pk_of"))
            return f"{name}_id=pk_of({_source(arg.value)})"
        return f"{name}={_source(arg.value)}"

    def update_field(self, arg: cst.Arg) -> str:
        """A keyword of `update()`: `F("field")` in its value becomes the column
        (f_expressions.py); otherwise as in `create()`."""
        keyword = arg.keyword.value if arg.keyword is not None else ""
        relation = self.relations.get(keyword)
        if relation is not None and relation.to_one and not contains_f(arg.value):
            self.imports.add((RUNTIME, "pk_of"))  # a Core UPDATE sets the key column
            return f"{keyword}_id=pk_of({_source(arg.value)})"
        if arg.keyword is None or not contains_f(arg.value):
            return self.create_field(arg)
        name = arg.keyword.value
        if name in self.relations:
            raise Unconvertible(f"update({name}=F(...)): a relation")
        try:
            return f"{name}={column_expression(arg.value, self.column)}"
        except NotAColumnExpression as error:
            raise Unconvertible(str(error)) from error

    def related(self, name: str) -> None:
        """`name` can be traversed: not a relation the models rule left as a bare key."""
        relation = self.relations.get(name)
        if relation is not None and not relation.mapped:
            raise Unconvertible(
                f"{self.model}.{name}: its related model is not generated (only {name}_id)"
            )

    def load(self, args: list[cst.Arg], loader: str) -> None:
        """`select_related("topic__category")` -> `joinedload(tables.Comment.topic)
        .joinedload(tables.Topic.category)`: loading changes no row."""
        for arg in args:
            name = _string(arg.value)
            self.related(name.split("__")[0])
            if "__" not in name:
                options = f"{loader}({self.column(name)})"
            else:
                steps = self.path(name, name.split("__"))
                if steps is None:
                    raise Unconvertible(f"{name!r}: the model its relations lead to is not known")
                options = ".".join(f"{loader}({step.attribute})" for step in steps)
            self.imports.add(("sqlalchemy.orm", loader))
            self.options.append(options)

    def statement(self, ordered: bool = True) -> str:
        code = self.selected(ordered)
        if self.prefetches:
            self.imports.add((PREFETCH_RUNTIME, "prefetching"))
            code = f"prefetching({code}, {', '.join(self.prefetches)})"
        return code

    def selected(self, ordered: bool) -> str:
        if self.base is not None:
            code = self.base  # ordered already where it was made
            if self.distinct:
                code += ".distinct()"
            if self.wheres:
                code += f".where({', '.join(self.wheres)})"
            if self.options:
                code += f".options({', '.join(self.options)})"
            if self.order is not None:
                code += f".order_by(None).order_by({', '.join(self.order)})"
            return code
        self.imports.add(("sqlalchemy", "select"))
        code = f"select({', '.join([self.table, *self.columns])})"
        if self.distinct and self.columns:
            raise Unconvertible(".distinct() with annotate(): Django's DISTINCT takes the counts")
        if self.distinct:
            code += ".distinct()"
        for join in self.joins:
            code += f".outerjoin({join})"
        if self.columns:
            code += f".group_by({self.table}.id)"
        if self.wheres:
            code += f".where({', '.join(self.wheres)})"
        if self.options:
            code += f".options({', '.join(self.options)})"
        if self.order is not None:
            code += f".order_by({', '.join(self.order)})" if self.order else ""
        elif ordered:
            self.imports.add((RUNTIME, "ordered"))
            code = f"ordered({code})"
        return code


_LOOKUPS = frozenset({*COMPARISONS, "in", "icontains", "isnull", "year"})


def user_groups_owner(value: str) -> str | None:
    """`request.user` of `request.user.groups.all()` (a lookup's value written so), else None."""
    try:
        node = cst.parse_expression(value)
    except cst.ParserSyntaxError:
        return None
    if not (
        isinstance(node, cst.Call)
        and not node.args
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "all"
        and isinstance(node.func.value, cst.Attribute)
        and node.func.value.attr.value == USER_GROUPS
        and is_user(node.func.value.value)
    ):
        return None
    return _source(node.func.value.value)


def is_user(node: cst.BaseExpression) -> bool:
    """`user` or `request.user`: the logged-in user, a Django user."""
    return (dotted_name(node) or "").split(".")[-1] == "user"


def generated_user(relations: Relations) -> str | None:
    """The generated class of django.contrib.auth's user, which the relations to it lead to."""
    targets = {
        relation.target
        for fields in relations.values()
        for relation in fields.values()
        if relation.to_user and relation.mapped and relation.target is not None
    }
    return next(iter(targets)) if len(targets) == 1 else None


def is_user_model_call(node: cst.BaseExpression) -> bool:
    """`get_user_model()`: django.contrib.auth's user model, which the models rule generates."""
    return (
        isinstance(node, cst.Call)
        and not node.args
        and (dotted_name(node.func) or "").rsplit(".", 1)[-1] == "get_user_model"
    )


@dataclass
class Scope:
    """What a queryset can start from besides `Model.objects`: the custom managers that are
    plain filters, and the variables of the function holding a statement (name -> model)."""

    managers: Managers = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)
    methods: Methods = field(default_factory=dict)  # custom QuerySet/Manager methods
    depth: int = 0  # custom methods being read into a chain, one inside another
    keys: Keys = field(default_factory=dict)  # names holding one of known strings (literal_keys)
    # the branch taken at each call of a branching custom method met so far, by the call's
    # text (None: not forking yet; `any_branch`: the first of each, for the model only)
    choices: dict[str, int] | None = None
    any_branch: bool = False
    # generated models the custom methods read so far start chains from (`Model.objects`)
    body_models: set[str] = field(default_factory=set)


def instance_sets(relations: Relations) -> dict[str, list[tuple[str, str]]]:
    """The related managers of model instances, by name: name -> [(model of the rows, the
    condition on them, `{owner}` standing for the instance)], e.g. "comments" ->
    [("Comment", "tables.Comment.post_id == pk_of({owner})")]; a foreign key with no
    related_name gives Django's `<model>_set` ("category_set"). A name several models use is
    ambiguous (the instance's model is not known from the code): it is not converted."""
    found: dict[str, list[tuple[str, str]]] = {}
    for model, fields in relations.items():
        for name, relation in fields.items():
            target = relation.target
            if not relation.mapped or target is None:
                continue
            reverse = relation.related_name
            if relation.kind == "OneToOneField":
                continue  # `profile.user` / `user.st`: one row, no manager
            if relation.to_one:
                if not reverse and relation.default_reverse:  # Django's `<model>_set`
                    reverse = f"{model.lower()}_set"
                if reverse and reverse != "+":
                    key = f"{TABLES}.{model}.{name}_id == pk_of({{owner}})"
                    found.setdefault(reverse, []).append((model, key))
                continue
            if reverse and reverse != "+":  # post.tags: the tags whose `posts` hold the post
                forward = f"related({TABLES}.{target}.{reverse}, id=pk_of({{owner}}))"
                found.setdefault(name, []).append((target, forward))
                backward = f"related({TABLES}.{model}.{name}, id=pk_of({{owner}}))"
                found.setdefault(reverse, []).append((model, backward))
    return found


def _related_models(relations: Relations) -> frozenset[str]:
    """The generated models the relations name (the related model need not be imported)."""
    return frozenset(
        {*relations, *(r.target for f in relations.values() for r in f.values() if r.target)}
    )


def _auth_group(relations: Relations) -> bool:
    """`Group`, imported from a models module, is django.contrib.auth's: the models rule
    generates it (as AuthGroup) and no model of SRC is named so."""
    return groups_generated(relations) and "Group" not in _related_models(relations)


def model_sets(relations: Relations) -> dict[tuple[str, str], tuple[str, str]]:
    """(model, relation name) -> (the related model, the relationship attribute on the model)
    for the to-many relations a model reaches: its reverse foreign keys and many-to-many
    fields, both ways (`("Tag", "posts") -> ("Post", "tables.Tag.posts")`)."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for model, fields in relations.items():
        for name, relation in fields.items():
            target = relation.target
            reverse = relation.related_name
            if not relation.mapped or target is None:
                continue
            if reverse and reverse != "+":
                found[(target, reverse)] = (model, f"{TABLES}.{target}.{reverse}")
            if not relation.to_one:
                found[(model, name)] = (target, f"{TABLES}.{model}.{name}")
    return found


def keyed_sets(relations: Relations) -> dict[tuple[str, str], tuple[str, str]]:
    """(model, lookup name) -> (the related model, its rows as `keyed_rows(key, owner key)`)
    for the reverse relations of foreign keys with no related_name (Django's lookup name is the
    pointing model's in lower case: `topicunread__is_read`), which the generated model has no
    relationship for: `("Topic", "topicunread") -> ("TopicUnread",
    "keyed_rows(tables.TopicUnread.topic_id, tables.Topic.id)")`. A name two models would give
    is left out."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    seen: set[tuple[str, str]] = set()
    for model, fields in relations.items():
        for name, relation in fields.items():
            target = relation.target
            if not (relation.mapped and target and relation.default_reverse):
                continue
            key = (target, model.lower())
            rows = f"keyed_rows({TABLES}.{model}.{name}_id, {TABLES}.{target}.id)"
            if key in seen:
                found.pop(key, None)
            else:
                found[key] = (model, rows)
            seen.add(key)
    return found


def _group_owner(node: cst.BaseExpression, relations: Relations) -> str | None:
    """The code of the group whose `user_set` `node` reads: `task_list.group.user_set`, where
    every relation named `group` of the models is a key to django.contrib.auth's Group (generated
    as AuthGroup, with the user); None for anything else."""
    if not (isinstance(node, cst.Attribute) and node.attr.value == "user_set"):
        return None
    owner = node.value
    if not isinstance(owner, cst.Attribute) or dotted_name(owner) is None:
        return None
    if not groups_generated(relations) or generated_user(relations) is None:
        return None
    named = [
        fields[owner.attr.value] for fields in relations.values() if owner.attr.value in fields
    ]
    if not named or any(r.target != GROUP_CLASS or not r.to_one for r in named):
        return None
    return _source(owner)


def _start(
    node: cst.BaseExpression, models: frozenset[str], relations: Relations, scope: Scope
) -> _Chain:
    sets = user_sets(relations)
    if (
        isinstance(node, cst.Attribute)
        and is_user(node.value)
        and node.attr.value == USER_GROUPS
        and groups_generated(relations)
    ):  # user.groups: the groups auth_user_groups links the user to
        chain = _Chain(GROUP_CLASS, {}, all_relations=relations)
        chain.imports.add((RUNTIME, "in_user_groups"))
        chain.wheres.append(f"in_user_groups({chain.table}.id, {_source(node.value)})")
        return chain
    group = _group_owner(node, relations)
    if group is not None:  # group.user_set: the users auth_user_groups links the group to
        user = generated_user(relations)
        assert user is not None
        chain = _Chain(user, relations.get(user, {}), all_relations=relations)
        chain.imports.add((RUNTIME, "in_group_users"))
        chain.wheres.append(f"in_group_users({chain.table}.id, {group})")
        return chain
    if isinstance(node, cst.Attribute) and is_user(node.value) and node.attr.value in sets:
        model, key = sets[node.attr.value]
        if model in models:  # user.posts: the rows whose key is the user's
            chain = _Chain(model, relations.get(model, {}), all_relations=relations)
            chain.imports.add((RUNTIME, "pk_of"))
            chain.wheres.append(f"{chain.table}.{key}_id == pk_of({_source(node.value)})")
            return chain
    objects = isinstance(node, cst.Attribute) and node.attr.value == "objects"
    if objects and is_user_model_call(node.value):  # type: ignore[attr-defined]
        user = generated_user(relations)  # get_user_model().objects: the generated User
        if user is None:
            raise Unconvertible(f"{_source(node)}: no relation of SRC generates the user")
        return _Chain(user, relations.get(user, {}), all_relations=relations)
    dotted = dotted_name(node)
    if dotted == "Group.objects" and "Group" in models and _auth_group(relations):
        return _Chain(GROUP_CLASS, {}, all_relations=relations)  # django.contrib.auth's Group
    if dotted is not None and dotted.endswith(".objects"):
        model = dotted.removesuffix(".objects")
        if model in models or model in scope.body_models:
            chain = _Chain(model, relations.get(model, {}), all_relations=relations)
            lookups = scope.managers.get(model, {}).get("objects")
            if lookups is not None:  # `objects = PublishedManager()`, a plain filter
                call = cst.parse_expression(f"f({', '.join(lookups)})")
                assert isinstance(call, cst.Call)
                chain.where(list(call.args), negate=False)
            elif model in scope.methods and scope.methods[model].own_rows:
                raise Unconvertible(
                    f"{model}.objects: its manager's get_queryset selects rows of its own"
                )
            return chain
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
        model, manager = node.value.value, node.attr.value
        lookups = scope.managers.get(model, {}).get(manager)
        if model in models and lookups is not None:  # Post.published: a plain filter
            chain = _Chain(model, relations.get(model, {}), all_relations=relations)
            call = cst.parse_expression(f"f({', '.join(lookups)})")
            assert isinstance(call, cst.Call)
            chain.where(list(call.args), negate=False)
            return chain
    owner = dotted_name(node.value) if isinstance(node, cst.Attribute) else None
    if owner is not None and owner.split(".")[0] not in models:
        assert isinstance(node, cst.Attribute)
        owned = instance_sets(relations).get(node.attr.value, [])
        known = models | _related_models(relations)
        if len(owned) == 1 and owned[0][0] in known:
            rows, condition = owned[0]  # post.comments: the rows related to the instance
            chain = _Chain(rows, relations.get(rows, {}), all_relations=relations)
            chain.imports.add((RUNTIME, "pk_of"))
            if condition.startswith("related("):
                chain.imports.add((RUNTIME, "related"))
            chain.wheres.append(condition.format(owner=owner))  # also `private.topic`
            return chain
    if isinstance(node, cst.Name) and node.value in scope.variables:
        model = scope.variables[node.value]
        chain = _Chain(model, relations.get(model, {}), all_relations=relations)
        chain.base = node.value
        return chain
    if isinstance(node, cst.Name) and node.value in models:
        return _Chain(node.value, relations.get(node.value, {}), all_relations=relations)
    raise Unconvertible(f"{_source(node)}: not `Model.objects` (custom managers stay)")


def _chain(
    node: cst.BaseExpression,
    models: frozenset[str],
    relations: Relations,
    scope: Scope | None = None,
) -> _Chain:
    """The chain of `node`, which must not end in a terminal."""
    scope = scope or Scope()
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        chain = _start(node, models, relations, scope)
        chain.keys = scope.keys
        overridden = scope.methods.get(chain.model)
        if overridden is not None and overridden.overridden:
            names = ", ".join(f"{name}()" for name in overridden.overridden)
            raise Unconvertible(f"{chain.model}'s queryset class overrides Django's {names}")
        return chain
    method = node.func.attr.value
    if method not in CHAIN_METHODS:
        expanded = _expanded(node, models, relations, scope)
        if expanded is None:
            raise Unconvertible(f".{method}() is not in the query mapping")
        if _one_row_call(expanded):
            raise Unconvertible(f".{method}(): it returns one row, not a queryset to go on from")
        return _within(scope, lambda: _chain(expanded, models, relations, scope))
    chain = _chain(node.func.value, models, relations, scope)
    args = list(node.args)
    if method in ("filter", "exclude"):
        chain.where(args, negate=method == "exclude")
    elif method == "order_by":
        chain.order_by(args)
    elif method == "select_related":
        chain.load(args, "joinedload")
    elif method == "prefetch_related":
        for arg in args:
            if isinstance(arg.value, cst.Call) and _is_prefetch(arg.value):
                _prefetch(chain, arg.value, models, relations, scope)
            else:
                chain.load([arg], "selectinload")
    elif method == "none":  # Django's EmptyQuerySet: no row
        if args:
            raise Unconvertible(".none() with arguments")
        chain.imports.add(("sqlalchemy", "false"))
        chain.wheres.append("false()")
    elif method in ("only", "defer"):
        # Django loads the other fields when read: the row, which has them all, reads the same
        for arg in args:
            name = _string(arg.value) if arg.keyword is None and not arg.star else None
            if name is None or "__" in name:
                raise Unconvertible(f".{method}() of other than the model's own field names")
            chain.named(f".{method}({name!r})", name)
    elif method == "distinct":  # distinct(*fields) is PostgreSQL's DISTINCT ON
        if args:
            raise Unconvertible(".distinct() with fields")
        chain.distinct = True
    return chain


def _is_prefetch(node: cst.Call) -> bool:
    return dotted_name(node.func) in ("Prefetch", "models.Prefetch")


def _prefetch(
    chain: _Chain, call: cst.Call, models: frozenset[str], relations: Relations, scope: Scope
) -> None:
    """`Prefetch("comment_polls", queryset=CommentPoll.objects.unremoved(), to_attr="polls")`
    on a chain of Comment: `prefetch(tables.CommentPoll.comment_id, <its statement>, "polls")`
    (codemods/runtime/django/prefetch.py), run after the chain's rows load. The lookup is a
    reverse foreign key of the chain's model, or of the model an earlier prefetch's `to_attr`
    holds (`"polls__poll_choices"`)."""
    names = ("lookup", "queryset", "to_attr")
    given: dict[str, cst.BaseExpression] = {}
    for index, arg in enumerate(call.args):
        key = arg.keyword.value if arg.keyword is not None else names[min(index, 2)]
        if arg.star or key not in names or key in given or (arg.keyword is None and index > 2):
            raise Unconvertible(f"{_source(call)}: only Prefetch(lookup, queryset, to_attr)")
        given[key] = arg.value
    if "lookup" not in given or "to_attr" not in given:
        raise Unconvertible(
            f"{_source(call)}: a Prefetch without to_attr fills Django's related manager cache, "
            "which is not in the query mapping"
        )
    lookup, to_attr = _string(given["lookup"]), _string(given["to_attr"])
    *through, name = lookup.split("__")
    owner = chain.model
    for step in through:
        if step not in chain.prefetched:
            raise Unconvertible(
                f"Prefetch({lookup!r}): {step} is not an earlier Prefetch's to_attr"
            )
        owner = chain.prefetched[step]
    inner = None
    if "queryset" in given:
        inner = _chain(given["queryset"], models, relations, scope)
    reverse = _reverse_key(owner, name, inner.model if inner else None, relations)
    if reverse is None:
        raise Unconvertible(f"Prefetch({lookup!r}): not a reverse foreign key of {owner}")
    rows, column = reverse
    if inner is None:
        inner = _Chain(rows, relations.get(rows, {}), all_relations=relations)
    statement = inner.statement()
    chain.imports |= inner.imports | {(PREFETCH_RUNTIME, "prefetch")}
    via = ', through="' + "__".join(through) + '"' if through else ""
    code = f'prefetch({TABLES}.{rows}.{column}_id, {statement}, "{to_attr}"{via})'
    chain.prefetches.append(code)
    chain.prefetched[to_attr] = rows


def _reverse_key(
    owner: str, name: str, rows: str | None, relations: Relations
) -> tuple[str, str] | None:
    """(the related model, its foreign key field) of `owner`'s reverse relation `name`: a
    foreign key to `owner` given `related_name=name`, or none given and `name` is Django's
    default `<model>_set`; None when there is no such key, or several."""
    found = [
        (model, field)
        for model, fields in relations.items()
        if rows is None or model == rows
        for field, relation in fields.items()
        if relation.kind == "ForeignKey" and relation.target == owner
        and (relation.related_name == name
             or (relation.related_name is None and name == f"{model.lower()}_set"))
    ]  # fmt: skip
    return found[0] if len(found) == 1 else None


MAX_DEPTH = 16  # custom methods read one inside another (deeper: a loop, left on the ORM)


def _within(scope: Scope, read: Callable[[], T]) -> T:
    """`read()` with one more custom method being read into the chain."""
    if scope.depth >= MAX_DEPTH:
        raise Unconvertible("custom queryset methods calling each other too deep")
    scope.depth += 1
    try:
        return read()
    finally:
        scope.depth -= 1


class _Substitute(cst.CSTTransformer):
    """`self` and the parameters of a custom method -> the receiver and the arguments."""

    def __init__(self, values: dict[str, cst.BaseExpression]) -> None:
        self.values = values

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self.values.get(original_node.value, updated_node)

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)  # `user=`: a keyword

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        return updated_node.with_changes(attr=original_node.attr)


_ATOMS = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.BaseString, cst.Integer)


def _bound(method: QuerySetMethod, call: cst.Call, name: str) -> dict[str, cst.BaseExpression]:
    """The parameters of `method` -> the expressions `call` gives them (else their defaults)."""
    names = [param for param, _ in method.params]
    given: dict[str, cst.BaseExpression] = {}
    for index, arg in enumerate(call.args):
        if arg.star:
            raise Unconvertible(f".{name}(*...): unpacked arguments stay")
        if arg.keyword is not None:
            key = arg.keyword.value
        elif index < len(names):
            key = names[index]
        else:
            raise Unconvertible(f".{name}(): more arguments than it takes")
        if key not in names or key in given:
            raise Unconvertible(f".{name}({key}=...): not one of its parameters")
        value = arg.value
        if not isinstance(value, _ATOMS) and not value.lpar:
            value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        given[key] = value
    for param, default in method.params:
        if param not in given:
            if default is None:
                raise Unconvertible(f".{name}(): its argument {param} is not given")
            given[param] = cst.parse_expression(default)
    return given


def _expanded(
    node: cst.Call, models: frozenset[str], relations: Relations, scope: Scope
) -> cst.BaseExpression | None:
    """A call of a custom QuerySet or Manager method (queryset_methods.py), as the chain its
    body returns on the receiver; None when `node` calls no such method."""
    assert isinstance(node.func, cst.Attribute)
    receiver, name = node.func.value, node.func.attr.value
    model = _chain(receiver, models, relations, scope).model
    found = scope.methods.get(model)
    method = found.methods.get(name) if found is not None else None
    if method is None and found is not None and name in found.refused:
        raise Unconvertible(f".{name}(): {found.refused[name]}")
    if method is None:
        return None
    if method.on_model != (isinstance(receiver, cst.Name) and receiver.value == model):
        raise Unconvertible(f".{name}(): a model's classmethod called on a queryset, or not one")
    if (
        not method.on_querysets
        and not method.on_model
        and not (isinstance(receiver, cst.Attribute) and receiver.attr.value == "objects")
    ):
        raise Unconvertible(f".{name}(): a Manager method, called on a queryset")
    unknown = set(method.models) - _related_models(relations)
    if unknown:
        raise Unconvertible(f".{name}(): {', '.join(sorted(unknown))} not a generated model")
    scope.body_models |= set(method.models)
    values = {"cls" if method.on_model else "self": receiver, **_bound(method, node, name)}
    written = method.returned
    if method.branches:
        written = _branch(method, _source(node), values, scope)
    try:
        returned = cst.parse_expression(written)
    except cst.ParserSyntaxError as error:
        raise Unconvertible(f".{name}(): its body does not parse alone") from error
    expanded = visit(returned, _Substitute(values))  # keeps what it does not change
    assert isinstance(expanded, cst.BaseExpression)
    return expanded


class _Fork(Exception):
    """A custom method branching on a condition met: the query is read once per branch."""

    def __init__(
        self, call: str, conditions: list[str], names: tuple[tuple[str, str], ...]
    ) -> None:
        super().__init__("a branching custom queryset method outside a query")
        self.call = call
        self.conditions = conditions  # with the call's arguments in place of its parameters
        self.names = names


def _branch(
    method: QuerySetMethod, call: str, values: dict[str, cst.BaseExpression], scope: Scope
) -> str:
    """The chain of the branch taken this time the call `call` of `method` is read
    (`_forking`)."""
    if scope.choices is None:
        raise Unconvertible(f"{call}: a method that branches, outside a query")
    if call in scope.choices or scope.any_branch:
        choice = scope.choices.get(call, 0)
        return method.branches[choice][1] if choice < len(method.branches) else method.returned
    conditions = []
    for condition, _ in method.branches:
        test = cst.parse_expression(condition)
        for name in _names_in_order(test):
            if name.value in values and any(
                isinstance(node, cst.Call) for node in descendants(values[name.value])
            ):
                raise Unconvertible(f"{call}: its condition would call {name.value}'s value again")
        substituted = test.visit(_Substitute(values))
        assert isinstance(substituted, cst.BaseExpression)
        if isinstance(substituted, (cst.IfExp, cst.Lambda, cst.NamedExpr)):
            substituted = substituted.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        conditions.append(_source(substituted))
    raise _Fork(call, conditions, method.names)


def _names_in_order(node: cst.CSTNode) -> Iterator[cst.Name]:
    """The `Name` nodes of the subtree, in the order libcst visits them."""
    if isinstance(node, cst.Name):
        yield node
    for child in node.children:
        yield from _names_in_order(child)


def _forking(scope: Scope, read: Callable[[], Translation]) -> Translation:
    """`read()`, once per branch of each branching custom method it meets, the results kept
    apart by the methods' conditions, evaluated when the query runs as Django evaluates them
    when the queryset is built: `(A if user.is_authenticated else B)`."""
    if scope.choices is not None:  # inside a query already forking
        return read()

    def attempt(choices: dict[str, int]) -> Translation:
        scope.choices = choices
        try:
            return read()
        except _Fork as fork:
            count = len(fork.conditions) + 1
            options = [attempt({**choices, fork.call: k}) for k in range(count)]
            code = options[-1].code
            for condition, option in zip(fork.conditions[::-1], options[-2::-1], strict=True):
                code = f"{option.code} if {condition} else {code}"
            imports = {i for o in options for i in o.imports} | set(fork.names)
            return Translation(f"({code})", imports)

    try:
        return attempt({})
    finally:
        scope.choices = None


def _annotate(
    node: cst.Call, models: frozenset[str], relations: Relations, scope: Scope
) -> Translation:
    """`.annotate(name=Count("rel", filter=Q(...)))` on a chain: the rows, each given `name`
    (`annotated()` sets it), counted with an outer join and GROUP BY."""
    assert isinstance(node.func, cst.Attribute)
    chain = _chain(node.func.value, models, relations, scope)
    if chain.base is not None:
        raise Unconvertible("annotate() on a queryset variable")
    if chain.joins:  # GROUP BY the model's key would not cover the joined model's column
        raise Unconvertible("annotate() after order_by() through a relation")
    names = []
    for arg in node.args:
        value = arg.value
        if arg.keyword is None or not isinstance(value, cst.Call):
            raise Unconvertible(f"annotate({_source(value)}): only name=Count(...)")
        if dotted_name(value.func) not in ("Count", "models.Count"):
            raise Unconvertible(f"annotate: {_source(value.func)}() is not in the query mapping")
        positional = [a for a in value.args if a.keyword is None]
        options = {a.keyword.value: a.value for a in value.args if a.keyword is not None}
        if len(positional) != 1 or set(options) - {"filter"}:
            raise Unconvertible(f'{_source(value)}: only Count("relation", filter=Q(...))')
        relation = _string(positional[0].value)
        found = model_sets(chain.all_relations).get((chain.model, relation))
        if found is None:
            raise Unconvertible(f"Count({relation!r}): not a to-many relation of {chain.model}")
        rows_model, attribute = found
        rows = _Chain(rows_model, relations.get(rows_model, {}), all_relations=relations)
        counted = f"func.count({TABLES}.{rows_model}.id)"
        if "filter" in options:
            counted += f".filter({rows.q(_strip_prefix(options['filter'], relation))})"
            chain.imports |= rows.imports
        chain.imports.add(("sqlalchemy", "func"))
        chain.columns.append(f'{counted}.label("{arg.keyword.value}")')
        chain.joins.append(attribute)
        names.append(f'"{arg.keyword.value}"')
    chain.imports.add((RUNTIME, "annotated"))
    code = f"annotated({SESSION}.execute({chain.statement()}), {', '.join(names)})"
    return Translation(code, chain.imports)


def _set_related(node: cst.Call, relations: Relations) -> Translation:
    """`post.tags.set(values)` on a many-to-many field of an instance: its links replaced."""
    assert isinstance(node.func, cst.Attribute)
    field_node = node.func.value
    if not (isinstance(field_node, cst.Attribute) and isinstance(field_node.value, cst.Name)):
        raise Unconvertible(f"{_source(node)}: only instance.<many-to-many>.set(values)")
    name = field_node.attr.value
    forward = [f for f in relations.values() if name in f and not f[name].to_one]
    if len(forward) != 1 or len(node.args) != 1 or node.args[0].keyword is not None:
        raise Unconvertible(f"{_source(node)}: only instance.<many-to-many>.set(values)")
    code = (
        f'set_related({SESSION}, {field_node.value.value}, "{name}", {_source(node.args[0].value)})'
    )
    return Translation(code, {("codemods.runtime.django.instances", "set_related")})


class _Prefix(cst.CSTTransformer):
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        keyword = updated_node.keyword
        if keyword is None:
            return updated_node
        if not keyword.value.startswith(self.prefix):
            raise Unconvertible(f"{keyword.value}: a Count filter on another relation")
        return updated_node.with_changes(
            keyword=keyword.with_changes(value=keyword.value.removeprefix(self.prefix))
        )


def _strip_prefix(node: cst.BaseExpression, relation: str) -> cst.BaseExpression:
    """`Q(posts__status=...)` inside `Count("posts", ...)`: `Q(status=...)` on the counted rows."""
    stripped = node.visit(_Prefix(f"{relation}__"))
    assert isinstance(stripped, cst.BaseExpression)
    return stripped


def _slice(node: cst.Subscript, chain: _Chain) -> Translation:
    element = node.slice[0].slice if len(node.slice) == 1 else None
    if isinstance(element, cst.Index) and isinstance(element.value, cst.Integer):
        # `qs[2]`: the row at that place, Django's IndexError ("list index out of range") when
        # there is none
        at = int(element.value.value)
        offset = f".offset({at})" if at else ""
        return Translation(
            f"{SESSION}.scalars({chain.statement()}{offset}.limit(1)).all()[0]", chain.imports
        )
    if not isinstance(element, cst.Slice) or element.step is not None:
        raise Unconvertible(f"{_source(node)}: only [start:stop] slices are converted")
    bounds: list[int | None] = []
    for bound in (element.lower, element.upper):
        if bound is None:
            bounds.append(None)
        elif isinstance(bound, cst.Integer):
            bounds.append(int(bound.value))
        else:
            raise Unconvertible(f"{_source(node)}: only constant slice bounds are converted")
    start, stop = bounds[0] or 0, bounds[1]
    code = chain.statement()
    code += f".offset({start})" if start else ""
    code += f".limit({stop - start})" if stop is not None else ""
    return Translation(f"{SESSION}.scalars({code}).all()", chain.imports)


def translate(
    node: cst.BaseExpression,
    models: frozenset[str],
    relations: Relations | None = None,
    scope: Scope | None = None,
) -> Translation:
    """The SQLAlchemy code running queryset `node` (its models are names in `models`, their
    relation fields in `relations`)."""
    relations = relations if relations is not None else {}
    scope = scope or Scope()
    return _forking(scope, lambda: _translate(node, models, relations, scope))


def _translate(
    node: cst.BaseExpression, models: frozenset[str], relations: Relations, scope: Scope
) -> Translation:
    if isinstance(node, cst.Subscript) and _is_call_of(node.value, {"aggregate"}):
        found = _translate(node.value, models, relations, scope)  # `aggregate(...)["name"]`
        return Translation(found.code + _source(node)[len(_source(node.value)) :], found.imports)
    if isinstance(node, cst.Subscript):
        return _slice(node, _chain(node.value, models, relations, scope))
    rows = user_rows(relations)
    if isinstance(node, cst.Attribute) and node.attr.value in rows and is_user(node.value):
        return _user_row(node, rows[node.attr.value], models, relations)
    if isinstance(node, cst.Call) and dotted_name(node.func) == "get_object_or_404":
        if not node.args or node.args[0].keyword is not None:
            raise Unconvertible("get_object_or_404 without a model or queryset")
        chain = _chain(node.args[0].value, models, relations, scope)
        chain.where(list(node.args[1:]), negate=False)
        chain.imports.add((RUNTIME, "get_or_404"))
        return Translation(f"get_or_404({SESSION}, {chain.statement(False)})", chain.imports)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        method = node.func.attr.value
        if method == "delete" and _is_call_of(node.func.value, {"get", *CHAIN_METHODS}):
            return _deleted(node, models, relations, scope)
        if method == "aggregate":
            return _aggregate(node, models, relations, scope)
        if method == "values_list":
            return _flat_values(node, models, relations, scope)
        if method == "get_current" and dotted_name(node.func) == "Site.objects.get_current":
            if "Site" in relations or "Site" in scope.methods:  # a Site model of SRC's own
                raise Unconvertible("Site.objects.get_current(): Site is a model of SRC")
            return _current_site(node)
        if method not in TERMINALS | CHAIN_METHODS | {"annotate", "set"}:
            expanded = _expanded(node, models, relations, scope)
            if expanded is not None:
                return _within(scope, lambda: _translate(expanded, models, relations, scope))
        if method in TERMINALS:
            return _terminal(method, node, models, relations, scope)
        if method == "annotate":
            return _annotate(node, models, relations, scope)
        if method == "set":
            return _set_related(node, relations)
    chain = _chain(node, models, relations, scope)
    return Translation(f"{SESSION}.scalars({chain.statement()}).all()", chain.imports)


def _user_row(
    node: cst.Attribute, found: tuple[str, str], models: frozenset[str], relations: Relations
) -> Translation:
    """`user.st`: the row whose one-to-one key is the user's (Django caches it on the user; the
    session's identity map gives the same row again). Django's error when there is none, with
    the legacy model: its `RelatedObjectDoesNotExist` is that model's `DoesNotExist`."""
    model, key = found
    chain = _Chain(model, relations.get(model, {}), all_relations=relations)
    chain.imports |= {(RUNTIME, "pk_of"), (RUNTIME, "get_one")}
    chain.wheres.append(f"{chain.table}.{key}_id == pk_of({_source(node.value)})")
    legacy = f", {model}" if model in models else ""
    return Translation(f"get_one({SESSION}, {chain.statement(False)}{legacy})", chain.imports)


def _is_call_of(node: cst.BaseExpression, methods: set[str]) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value in methods
    )


def _deleted(
    node: cst.Call, models: frozenset[str], relations: Relations, scope: Scope
) -> Translation:
    """`Model.objects.get(...).delete()`: the row, deleted as `instance.delete()` is, when
    SQLAlchemy deletes what Django's `delete()` deletes (model_relations.deletion_problems)."""
    assert isinstance(node.func, cst.Attribute)
    row = node.func.value
    if node.args:
        raise Unconvertible(f"{_source(node)}: delete() with arguments")
    if not _is_call_of(row, {"get"}):
        return _rows_deleted(node, models, relations, scope)
    model = instance_model(row, models, relations, scope)
    problems, keys = cascade_plan(relations, model) if model else ([], [])
    if problems:
        raise Unconvertible("; ".join(problems))
    found = translate(row, models, relations, scope)
    imports = {*found.imports, (INSTANCES, "delete")}
    return Translation(f"delete({SESSION}, {found.code}{cascade_argument(keys)})", imports)


def _rows_deleted(
    node: cst.Call, models: frozenset[str], relations: Relations, scope: Scope
) -> Translation:
    """`Model.objects.filter(...).delete()`: the rows the chain selects, each deleted as
    `instance.delete()` is (`delete_rows(session, select(...), cascade=[...])`), when SQLAlchemy
    deletes what Django's collector deletes; the same problems keep it on the ORM."""
    assert isinstance(node.func, cst.Attribute)
    chain = _chain(node.func.value, models, relations, scope)
    problems, keys = cascade_plan(relations, chain.model)
    if problems:
        raise Unconvertible("; ".join(problems))
    code = f"delete_rows({SESSION}, {chain.statement(False)}{cascade_argument(keys)})"
    imports = {*chain.imports, (INSTANCES, "delete_rows")}  # with the statement's `select`
    return Translation(code, imports)


def cascade_argument(keys: list[str]) -> str:
    """`, cascade=[tables.Comment.task_id, ...]` for the keys `delete()` follows (empty: none)."""
    if not keys:
        return ""
    columns = ", ".join(f"{TABLES}.{key}_id" for key in keys)
    return f", cascade=[{columns}]"


_ONE_ROW = frozenset({"get", "first", "last", "create"})


def instance_model(
    node: cst.BaseExpression, models: frozenset[str], relations: Relations, scope: Scope
) -> str | None:
    """The model of the one row a queryset expression gives (`get_object_or_404(Model, ...)`,
    `.get()`, `.first()`, `.create()` of a chain), else None."""
    if not isinstance(node, cst.Call):
        return None
    forking = scope.choices is None
    if dotted_name(node.func) == "get_object_or_404" and node.args:
        chained = node.args[0].value
    elif isinstance(node.func, cst.Attribute) and node.func.attr.value in _ONE_ROW:
        chained = node.func.value
    elif isinstance(node.func, cst.Attribute) and node.func.attr.value not in CHAIN_METHODS:
        one_row = _one_row_expanded(node, models, relations, scope)
        return instance_model(one_row, models, relations, scope) if one_row else None
    else:
        return None
    if forking:  # every branch of a custom method is a chain of the same model: the first
        scope.choices, scope.any_branch = {}, True
    try:
        return _chain(chained, models, relations, scope).model
    except (Unconvertible, _Fork):
        return None
    finally:
        if forking:
            scope.choices, scope.any_branch = None, False


def _one_row_call(node: cst.BaseExpression) -> bool:
    """`get_object_or_404(...)`: what a custom method returning one row expands to."""
    return isinstance(node, cst.Call) and dotted_name(node.func) == "get_object_or_404"


def _one_row_expanded(
    node: cst.Call, models: frozenset[str], relations: Relations, scope: Scope
) -> cst.Call | None:
    """A call of a custom method returning one row (`Topic.objects.for_delete_or_404(pk,
    user)`), as the `get_object_or_404(...)` it expands to; else None."""
    try:
        expanded = _expanded(node, models, relations, scope)
    except (Unconvertible, _Fork):
        return None
    return expanded if isinstance(expanded, cst.Call) and _one_row_call(expanded) else None


def statement_of(
    node: cst.BaseExpression, models: frozenset[str], relations: Relations, scope: Scope
) -> tuple[str, Translation]:
    """A queryset kept in a variable (`posts = Post.objects.filter(...)`): (its model, the
    `select()` statement it becomes; the uses of the variable run it)."""
    found: list[str] = []

    def read() -> Translation:
        chain = _chain(node, models, relations, scope)
        found.append(chain.model)
        return Translation(chain.statement(), chain.imports)

    translation = _forking(scope, read)
    return found[0], translation


def combined_rows(
    node: cst.BinaryOperation, models: frozenset[str], relations: Relations, scope: Scope
) -> Translation:
    """`Topic.objects.filter(a) | Topic.objects.filter(b)`: the rows of either, as Django's
    combined query's `WHERE (a) OR (b)`, ordered as the model is. Only querysets of one model
    filtered on its own columns (a relation's lookup is a join Django combines its own way,
    a to-many one giving a row once per related row), nothing else along them."""
    if not isinstance(node.operator, cst.BitOr):
        raise Unconvertible(f"{_source(node)[:60]}: querysets combined with & stay")

    def read() -> Translation:
        left = _chain(node.left, models, relations, scope)
        right = _chain(node.right, models, relations, scope)
        for side in (left, right):
            if side.model != left.model:
                raise Unconvertible(f"{_source(node)[:60]}: querysets of two models combined")
            if side.base or side.order is not None or side.options or side.joins:
                raise Unconvertible(f"{_source(node)[:60]}: combined querysets not only filtered")
            if side.columns or side.prefetches or any("related(" in w for w in side.wheres):
                raise Unconvertible(
                    f"{_source(node)[:60]}: combined querysets filtered through a relation"
                )
        either = f"or_({_all_of(left)}, {_all_of(right)})"
        combined = _Chain(left.model, left.relations, all_relations=relations)
        combined.imports = left.imports | right.imports | {("sqlalchemy", "or_")}
        combined.wheres.append(either)
        return Translation(f"{SESSION}.scalars({combined.statement()}).all()", combined.imports)

    return _forking(scope, read)


def _all_of(chain: _Chain) -> str:
    """The chain's conditions as one: `and_(...)`, `true()` when it has none."""
    if not chain.wheres:
        chain.imports.add(("sqlalchemy", "true"))
        return "true()"
    if len(chain.wheres) == 1:
        return chain.wheres[0]
    chain.imports.add(("sqlalchemy", "and_"))
    return f"and_({', '.join(chain.wheres)})"


def _aggregate(
    node: cst.Call, models: frozenset[str], relations: Relations, scope: Scope
) -> Translation:
    """`.aggregate(name=Max("field"), ...)` -> `aggregated(session, statement, func.max(column)
    .label("name"), ...)`: Django's dict of the values over the chain's rows (None over no row,
    as Django's), for Max, Min, Sum and Count of the model's own columns."""
    assert isinstance(node.func, cst.Attribute)
    chain = _chain(node.func.value, models, relations, scope)
    if chain.columns or chain.joins:
        raise Unconvertible(".aggregate() after annotate()")
    labels = []
    for arg in node.args:
        value = arg.value
        call = value if isinstance(value, cst.Call) else None
        kind = (dotted_name(call.func) or "").rsplit(".", 1)[-1] if call is not None else ""
        named = call.args[0] if call is not None and len(call.args) == 1 else None
        field = string_value(named.value) if named is not None and named.keyword is None else None
        if (
            arg.keyword is None
            or kind not in AGGREGATES
            or field is None
            or "__" in field
            or field in chain.relations
        ):
            raise Unconvertible(
                f'aggregate({_source(arg)}): only name=Max/Min/Sum/Count("own field")'
            )
        function = AGGREGATES[kind]
        labels.append(f'func.{function}({chain.column(field)}).label("{arg.keyword.value}")')
    if not labels:
        raise Unconvertible(".aggregate() with nothing to aggregate")
    chain.imports |= {("sqlalchemy", "func"), (RUNTIME, "aggregated")}
    code = f"aggregated({SESSION}, {chain.statement(False)}, {', '.join(labels)})"
    return Translation(code, chain.imports)


def _current_site(node: cst.Call) -> Translation:
    """django.contrib.sites' `Site.objects.get_current(request=None)` ->
    `sites.current_site(session, request, tables.SitesSite)`: SITE_ID's row, else the
    request's host's (runtime sites.py; the models rule generates SitesSite, sites_site.py)."""
    keywords = {a.keyword.value for a in node.args if a.keyword is not None}
    if len(node.args) > 1 or keywords - {"request"} or any(a.star for a in node.args):
        raise Unconvertible(f"{_source(node)}: only get_current() or get_current(request)")
    request = _source(node.args[0].value) if node.args else "None"
    # through its module: a view names its own variable `current_site` as often as not
    code = f"sites.current_site({SESSION}, {request}, {TABLES}.{SITE_CLASS})"
    return Translation(code, {("codemods.runtime.django", "sites")})


def _flat_values(
    node: cst.Call, models: frozenset[str], relations: Relations, scope: Scope
) -> Translation:
    """`.values_list("field", flat=True)` -> `session.scalars(statement.with_only_columns(
    column)).all()`: the column's values of the chain's rows, in the chain's order (a list where
    Django's is a queryset: what is done with it next must take a list)."""
    assert isinstance(node.func, cst.Attribute)
    chain = _chain(node.func.value, models, relations, scope)
    positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
    flat = [arg for arg in node.args if arg.keyword is not None]
    field = string_value(positional[0].value) if len(positional) == 1 else None
    if (
        field is None
        or len(node.args) != 2
        or len(flat) != 1
        or flat[0].keyword is None
        or flat[0].keyword.value != "flat"
        or _source(flat[0].value) != "True"
    ):
        raise Unconvertible(f'{_source(node)}: only values_list("field", flat=True)')
    if "__" in field or field in chain.relations or (chain.model, field) in model_sets(relations):
        raise Unconvertible(f"values_list({field!r}): only a column of {chain.model}")
    if chain.columns or chain.joins or chain.options or chain.prefetches or chain.distinct:
        raise Unconvertible(".values_list() after annotate, distinct or related loading")
    chain.named(f"values_list({field!r})", field)
    code = f"{SESSION}.scalars({chain.statement()}.with_only_columns({chain.column(field)})).all()"
    return Translation(code, chain.imports)


def _terminal(
    method: str, node: cst.Call, models: frozenset[str], relations: Relations, scope: Scope
) -> Translation:
    assert isinstance(node.func, cst.Attribute)
    chain = _chain(node.func.value, models, relations, scope)
    args = list(node.args)
    if method == "create":
        if chain.wheres or chain.options or chain.order is not None:
            raise Unconvertible("create() on a filtered queryset")
        chain.imports.add((RUNTIME, "create"))
        fields = ", ".join(chain.create_field(arg) for arg in args)
        return Translation(f"create({SESSION}, {chain.table}, {fields})", chain.imports)
    if method == "get_or_create":
        return get_or_create_translation(chain, args, SESSION)
    if method == "update_or_create":
        return update_or_create_translation(chain, args, SESSION)
    if method == "update":
        if chain.options or chain.order is not None:
            raise Unconvertible("update() after order_by or related loading")
        chain.imports.add((RUNTIME, "update_rows"))
        fields = ", ".join(chain.update_field(arg) for arg in args)
        code = f"update_rows({SESSION}, {chain.statement(False)}, {fields})"
        return Translation(code, chain.imports)
    if method != "get" and args:
        raise Unconvertible(f".{method}() with arguments")
    chain.where(args, negate=False)
    if method == "get":  # with the legacy model when the module has it: Django's errors
        chain.imports.add((RUNTIME, "get_one"))
        legacy = f", {chain.model}" if chain.model in models else ""
        return Translation(f"get_one({SESSION}, {chain.statement(False)}{legacy})", chain.imports)
    if method == "first":
        if chain.order is None:
            chain.imports.add((RUNTIME, "ordered"))
            statement = f"ordered({chain.statement(False)}, by_pk=True)"
        else:
            statement = chain.statement()
        return Translation(f"{SESSION}.scalars({statement}.limit(1)).first()", chain.imports)
    if method == "last":  # Django reverses the ordering (the model's, else the key's)
        chain.imports |= {(RUNTIME, "ordered"), (RUNTIME, "reversed_order")}
        ordering = f"ordered({chain.statement(False)}, by_pk=True)"
        statement = ordering if chain.order is None else chain.statement()
        code = f"{SESSION}.scalars(reversed_order({statement}).limit(1)).first()"
        return Translation(code, chain.imports)
    statement = chain.statement(False)
    if method == "exists":
        chain.imports.add(("sqlalchemy", "select"))
        return Translation(f"{SESSION}.scalar(select({statement}.exists()))", chain.imports)
    chain.imports.add(("sqlalchemy", "func"))
    code = f"{SESSION}.scalar(select(func.count()).select_from({statement}.subquery()))"
    return Translation(code, chain.imports)
