"""One Django queryset expression -> the SQLAlchemy 2.0 code that runs it on a session, or the
reason it stays on Django's ORM. Pure: source in, source out; the queries rule places it.

    Post.objects.filter(status="published").order_by("-created")[:5]
->  session.scalars(select(tables.Post).where(tables.Post.status == "published")
                    .order_by(tables.Post.created.desc()).offset(0).limit(5)).all()

A chain starts at `Model.objects` (or `get_object_or_404(Model or chain, **lookups)`) and is
made of `all`, `filter`, `exclude`, `order_by`, `select_related`, `prefetch_related`, then at
most one of `get`, `first`, `count`, `exists`, `create`, `update`, or a constant slice.
Lookups: `exact`, `in`, `gt`/`gte`/`lt`/`lte`, `icontains`, `isnull`, and one level of relation
traversal by equality (`tags__slug=...`). A list carries Django's default ordering
(`ordered(...)`, from the generated model's `__ordering__`) unless `order_by` is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from codemods.django.f_expressions import NotAColumnExpression, column_expression, contains_f
from codemods.django.model_relations import Relation, Relations, user_sets
from codemods.engine.nodes import dotted_name

SESSION = "session"
TABLES = "tables"  # the generated models module, imported under this name
CHAIN_METHODS = frozenset(
    {"all", "filter", "exclude", "order_by", "select_related", "prefetch_related"}
)
TERMINALS = frozenset({"get", "first", "count", "exists", "create", "update"})
COMPARISONS = {"exact": "==", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
RUNTIME = "codemods.runtime.django.queries"
# Django's other lookups and transforms: not in the mapping, the query stays on the ORM
OTHER_LOOKUPS = frozenset(
    {
        "iexact", "contains", "startswith", "istartswith", "endswith", "iendswith", "range",
        "regex", "iregex", "search", "year", "iso_year", "month", "day", "week", "week_day",
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


@dataclass
class _Chain:
    model: str
    relations: dict[str, Relation] = field(default_factory=dict)
    wheres: list[str] = field(default_factory=list)
    order: list[str] | None = None
    options: list[str] = field(default_factory=list)
    imports: set[tuple[str, str]] = field(default_factory=set)

    @property
    def table(self) -> str:
        return f"{TABLES}.{self.model}"

    def column(self, name: str) -> str:
        return f"{self.table}.{'id' if name == 'pk' else name}"

    def condition(self, arg: cst.Arg) -> str:
        if arg.keyword is None or arg.star:
            raise Unconvertible(f"{_source(arg.value)}: Q objects and positional filters stay")
        value = _source(arg.value)
        parts = arg.keyword.value.split("__")
        if len(parts) > 1 and parts[-1] in OTHER_LOOKUPS:
            raise Unconvertible(f"{arg.keyword.value}: the __{parts[-1]} lookup stays")
        lookup = parts.pop() if len(parts) > 1 and parts[-1] in _LOOKUPS else "exact"
        relation = self.relations.get(parts[0])
        if len(parts) == 2 and lookup == "exact":
            self.related(parts[0])
            self.imports.add((RUNTIME, "related"))
            return f"related({self.column(parts[0])}, {parts[1]}={value})"
        if len(parts) != 1:
            raise Unconvertible(f"{arg.keyword.value}: only one level of relation, by equality")
        if relation is not None:
            if not relation.to_one or lookup not in ("exact", "isnull"):
                raise Unconvertible(f"{arg.keyword.value}: only a to-one relation by key")
            parts[0] += "_id"
            if lookup == "exact":
                self.imports.add((RUNTIME, "pk_of"))
                value = f"pk_of({value})"
        column = self.column(parts[0])
        if lookup in COMPARISONS:
            return f"{column} {COMPARISONS[lookup]} {value}"
        if lookup == "in":
            return f"{column}.in_({value})"
        if lookup == "icontains":
            return f"{column}.icontains({value}, autoescape=True)"
        self.imports.add((RUNTIME, "is_null"))
        return f"is_null({column}, {value})"

    def where(self, args: list[cst.Arg], negate: bool) -> None:
        conditions = [self.condition(arg) for arg in args]
        if not conditions:
            return
        if negate:
            self.imports.add(("sqlalchemy", "not_"))
            self.imports.add(("sqlalchemy", "and_"))
            self.wheres.append(f"not_(and_({', '.join(conditions)}))")
        else:
            self.wheres.extend(conditions)

    def order_by(self, args: list[cst.Arg]) -> None:
        order = []
        for arg in args:
            name = _string(arg.value)
            if "__" in name or name == "?":
                raise Unconvertible(f"order_by({name!r}): only fields of the model are converted")
            order.append(
                f"{self.column(name[1:])}.desc()" if name.startswith("-") else self.column(name)
            )
        self.order = order

    def create_field(self, arg: cst.Arg) -> str:
        """A keyword of `create()`: a relation left as a bare key is given by key."""
        if arg.keyword is None or arg.star:
            raise Unconvertible(f"create({_source(arg.value)}): only keyword fields")
        if contains_f(arg.value):
            raise Unconvertible(f"{arg.keyword.value}=F(...): F() outside update() stays")
        name = arg.keyword.value
        relation = self.relations.get(name)
        if relation is not None and not relation.to_one:
            raise Unconvertible(f"create({name}=...): a many-to-many field")
        if relation is not None and not relation.mapped:
            self.imports.add((RUNTIME, "pk_of"))
            return f"{name}_id=pk_of({_source(arg.value)})"
        return f"{name}={_source(arg.value)}"

    def update_field(self, arg: cst.Arg) -> str:
        """A keyword of `update()`: `F("field")` in its value becomes the column
        (f_expressions.py); otherwise as in `create()`."""
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
        for arg in args:
            name = _string(arg.value)
            if "__" in name:
                raise Unconvertible(f"{name!r}: only one level of related loading is converted")
            self.related(name)
            self.imports.add(("sqlalchemy.orm", loader))
            self.options.append(f"{loader}({self.column(name)})")

    def statement(self, ordered: bool = True) -> str:
        self.imports.add(("sqlalchemy", "select"))
        code = f"select({self.table})"
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


_LOOKUPS = frozenset({*COMPARISONS, "in", "icontains", "isnull"})


def is_user(node: cst.BaseExpression) -> bool:
    """`user` or `request.user`: the logged-in user, a Django user."""
    return (dotted_name(node) or "").split(".")[-1] == "user"


def _start(node: cst.BaseExpression, models: frozenset[str], relations: Relations) -> _Chain:
    sets = user_sets(relations)
    if isinstance(node, cst.Attribute) and is_user(node.value) and node.attr.value in sets:
        model, key = sets[node.attr.value]
        if model in models:  # user.posts: the rows whose key is the user's
            chain = _Chain(model, relations.get(model, {}))
            chain.imports.add((RUNTIME, "pk_of"))
            chain.wheres.append(f"{chain.table}.{key}_id == pk_of({_source(node.value)})")
            return chain
    dotted = dotted_name(node)
    if dotted is not None and dotted.endswith(".objects"):
        model = dotted.removesuffix(".objects")
        if model in models:
            return _Chain(model, relations.get(model, {}))
    if isinstance(node, cst.Name) and node.value in models:
        return _Chain(node.value, relations.get(node.value, {}))
    raise Unconvertible(f"{_source(node)}: not `Model.objects` (custom managers stay)")


def _chain(node: cst.BaseExpression, models: frozenset[str], relations: Relations) -> _Chain:
    """The chain of `node`, which must not end in a terminal."""
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return _start(node, models, relations)
    method = node.func.attr.value
    if method not in CHAIN_METHODS:
        raise Unconvertible(f".{method}() is not in the query mapping")
    chain = _chain(node.func.value, models, relations)
    args = list(node.args)
    if method in ("filter", "exclude"):
        chain.where(args, negate=method == "exclude")
    elif method == "order_by":
        chain.order_by(args)
    elif method == "select_related":
        chain.load(args, "joinedload")
    elif method == "prefetch_related":
        chain.load(args, "selectinload")
    return chain


def _slice(node: cst.Subscript, chain: _Chain) -> Translation:
    element = node.slice[0].slice if len(node.slice) == 1 else None
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
    node: cst.BaseExpression, models: frozenset[str], relations: Relations | None = None
) -> Translation:
    """The SQLAlchemy code running queryset `node` (its models are names in `models`, their
    relation fields in `relations`)."""
    relations = relations or {}
    if isinstance(node, cst.Subscript):
        return _slice(node, _chain(node.value, models, relations))
    if isinstance(node, cst.Call) and dotted_name(node.func) == "get_object_or_404":
        if not node.args or node.args[0].keyword is not None:
            raise Unconvertible("get_object_or_404 without a model or queryset")
        chain = _chain(node.args[0].value, models, relations)
        chain.where(list(node.args[1:]), negate=False)
        chain.imports.add((RUNTIME, "get_or_404"))
        return Translation(f"get_or_404({SESSION}, {chain.statement(False)})", chain.imports)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        method = node.func.attr.value
        if method in TERMINALS:
            return _terminal(method, node, models, relations)
    chain = _chain(node, models, relations)
    return Translation(f"{SESSION}.scalars({chain.statement()}).all()", chain.imports)


def _terminal(
    method: str, node: cst.Call, models: frozenset[str], relations: Relations
) -> Translation:
    assert isinstance(node.func, cst.Attribute)
    chain = _chain(node.func.value, models, relations)
    args = list(node.args)
    if method == "create":
        if chain.wheres or chain.options or chain.order is not None:
            raise Unconvertible("create() on a filtered queryset")
        chain.imports.add((RUNTIME, "create"))
        fields = ", ".join(chain.create_field(arg) for arg in args)
        return Translation(f"create({SESSION}, {chain.table}, {fields})", chain.imports)
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
    if method == "get":
        chain.imports.add((RUNTIME, "get_one"))
        return Translation(f"get_one({SESSION}, {chain.statement(False)})", chain.imports)
    if method == "first":
        if chain.order is None:
            chain.imports.add((RUNTIME, "ordered"))
            statement = f"ordered({chain.statement(False)}, by_pk=True)"
        else:
            statement = chain.statement()
        return Translation(f"{SESSION}.scalars({statement}.limit(1)).first()", chain.imports)
    statement = chain.statement(False)
    if method == "exists":
        chain.imports.add(("sqlalchemy", "select"))
        return Translation(f"{SESSION}.scalar(select({statement}.exists()))", chain.imports)
    chain.imports.add(("sqlalchemy", "func"))
    code = f"{SESSION}.scalar(select(func.count()).select_from({statement}.subquery()))"
    return Translation(code, chain.imports)
