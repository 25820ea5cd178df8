"""Which queries of a function view can leave Django's ORM: all of them, or none.

A view's querysets are translated (querysets.py) only when every one of them translates and
nothing else in the view, or in the module's functions it calls, still needs Django's ORM.
Translated:
- chains from `Model.objects`, a custom manager that is a plain filter (`Post.published`), the
  user's or an instance's related managers (`user.posts`, `post.comments`, `post.tags`), and
  `get_object_or_404`;
- a queryset kept in a variable (`posts = Post.objects.filter(...)`, then `posts.filter(...)`,
  `posts.exists()`, `len(posts)`, `for post in posts`, `Paginator(posts, n)`): the variable
  holds the `select()`;
- model-instance methods: `post.save()`, `post.delete()`, `post.tags.set(tags)`;
- the module's functions the view calls that query (`post_summary(post)`): translated too,
  given the view's session (`post_summary(post, session=session)`), when every view calling
  them converts.
Anything else (a model's exceptions or constructor, another related-manager or instance method,
a queryset variable used otherwise) keeps the view on the ORM as written, and the reasons say
what kept it there. Half-converted views would hand SQLAlchemy rows to code written for Django's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import libcst as cst

from codemods.django.auth_group import GROUP_CLASS, USER_GROUPS, groups_generated
from codemods.django.authtoken import token_delete
from codemods.django.file_saves import file_objects, saves_to_file
from codemods.django.literal_keys import Keys, literal_keys
from codemods.django.managers import Managers
from codemods.django.model_method_calls import model_method_call
from codemods.django.model_modules import AUTH_USER, tables_names
from codemods.django.model_relations import (
    Relations,
    cascade_plan,
    file_fields_of,
    user_rows,
    user_sets,
)
from codemods.django.queryset_methods import Methods, one_row_methods
from codemods.django.queryset_parameters import (
    calls_by_name,
    calls_of,
    parameter_names,
    queryset_arguments,
)
from codemods.django.querysets import (
    AGGREGATES,
    CHAIN_METHODS,
    CONTEXT_ROWS,
    CONTEXT_ROWS_MODULE,
    INSTANCES,
    SESSION,
    TABLES,
    Scope,
    Translation,
    Unconvertible,
    cascade_argument,
    combined_rows,
    instance_model,
    instance_sets,
    is_user,
    is_user_model_call,
    statement_of,
    translate,
    user_groups_owner,
)
from codemods.django.run_readings import read_once
from codemods.django.seek_pagination import SEEK_ROWS, SeekArgument
from codemods.django.sites_site import SITE_CLASS
from codemods.engine.kinds import KindIndex, child_nodes, name_bit
from codemods.engine.nodes import dotted_name
from codemods.engine.parsed import run_memo
from codemods.engine.walk import in_order

# The node-type masks of the module `module_view_queries` reads (one index a run, shared by
# the analysis and the queries rule, which read the same legacy bodies; else one per module):
# the visits of its functions pass by the subtrees holding nothing their hooks are for.
_kinds = KindIndex()
# The names each function of that module calls (`_called`), read once per module.
_calls: dict[cst.FunctionDef, frozenset[str]] = {}
# why a view's templates need Django's instances, given its translations (function_templates.py)
TemplateCheck = Callable[
    [cst.FunctionDef, dict[cst.CSTNode, Translation], dict[str, cst.FunctionDef]], list[str]
]


def _visit(
    node: cst.CSTNode, visitor: cst.CSTVisitor, passed: set[cst.CSTNode] | None = None
) -> None:
    in_order(node, visitor, _kinds, passed or ())


# Methods that, called on something other than a translated result, belong to Django's model
# instances, related managers or querysets (`get` and `update` are left out: dicts have them).
ORM_METHODS = frozenset(
    {
        "all", "filter", "exclude", "count", "exists", "first", "last", "order_by", "annotate",
        "aggregate", "values", "values_list", "select_related", "prefetch_related", "save",
        "delete", "set", "add", "remove", "clear", "refresh_from_db", "create", "get_or_create",
        "update_or_create", "bulk_create", "in_bulk", "distinct", "only", "defer",
    }
)  # fmt: skip
MODEL_EXCEPTIONS = frozenset({"DoesNotExist", "MultipleObjectsReturned"})
# Methods answering one row or value, never a queryset (`Site.objects.get_current()`)
ONE_VALUE_METHODS = frozenset({"get", "update", "get_current"})
# ORM expressions the query mapping translates inside a chain (querysets.py)
TRANSLATED_EXPRESSIONS = frozenset({"Q", "Count"})
PAGINATION = "codemods.runtime.django.pagination"


@dataclass
class ViewQueries:
    """The translations of a view's querysets, or the reasons they stay on Django's ORM."""

    translations: dict[cst.CSTNode, Translation] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    helper: bool = False  # a function the views call, not a view: it takes `session=`
    # a helper other code (a view left on the ORM, a class) calls as written: the translation
    # is its twin (`twin_name`), beside it
    twin: bool = False
    helpers: set[str] = field(default_factory=set)  # the translated helpers it calls
    # the chains it passes to a helper's queryset parameter (queryset_parameters.py), by id:
    # their model (the statement's)
    statement_models: dict[int, str] = field(default_factory=dict)

    @property
    def converted(self) -> bool:
        """Nothing keeps the view on the ORM (it may have had no query: `Post.Status.DRAFT`)."""
        return not self.reasons


def _source(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


@dataclass(frozen=True)
class _Roots:
    """What starts a queryset chain in the module."""

    models: frozenset[str]
    sets: frozenset[str]  # the user's related managers
    managers: Managers
    instance_sets: frozenset[str]  # instances' related managers (unambiguous names)
    variables: frozenset[str] = frozenset()
    class_methods: dict[str, frozenset[str]] = field(default_factory=dict)  # models' own
    user_rows: frozenset[str] = frozenset()  # the user's one-to-one rows (`user.st`)


def _rooted(node: cst.CSTNode, roots: _Roots) -> bool:
    """`node` is a queryset chain: `Model.objects...`, `Model.<plain manager>...`, a related
    manager (`user.posts...`, `post.comments...`), a queryset variable's chain (`posts.filter`)
    or a `get_object_or_404(...)` call."""
    if isinstance(node, cst.Call):
        if dotted_name(node.func) == "get_object_or_404":
            return True
        func = node.func
        if (  # a model's classmethod returning a chain (`Comment.create_moderation_action(...)`)
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value in roots.models
            and func.attr.value in roots.class_methods.get(func.value.value, frozenset())
        ):
            return True
        return isinstance(func, cst.Attribute) and _rooted(func.value, roots)
    if isinstance(node, cst.Subscript):
        return _rooted(node.value, roots)
    if isinstance(node, cst.Name):
        return node.value in roots.variables
    if isinstance(node, cst.Attribute):
        owner = node.value
        name = node.attr.value
        if _user_row(owner, roots):  # `user.st.nickname`: a read of the row `user.st` gives
            return False
        if isinstance(owner, cst.Name) and owner.value in roots.models:
            return name == "objects" or name in roots.managers.get(owner.value, {})
        if name in roots.sets and is_user(owner):
            return True
        if name == "objects" and is_user_model_call(owner):
            return True
        if isinstance(owner, cst.Name) and owner.value in roots.variables:
            return True
        if name in roots.instance_sets and _row_owner(owner, roots):
            return True
        return _rooted(owner, roots)
    return False


def _user_row(node: cst.BaseExpression, roots: _Roots) -> bool:
    """`user.st`, `self.request.user.st`: the user's one-to-one row (one row, no queryset)."""
    return (
        isinstance(node, cst.Attribute)
        and node.attr.value in roots.user_rows
        and is_user(node.value)
    )


def _row_owner(owner: cst.BaseExpression, roots: _Roots) -> bool:
    """`post` or `private.topic` (a name, or a name's attributes): what may hold the instance
    whose related manager is read; not a model class (`Topic.comment_set`)."""
    dotted = dotted_name(owner)
    return dotted is not None and dotted.split(".")[0] not in roots.models


def _arguments(chain: cst.BaseExpression) -> list[cst.CSTNode]:
    """The arguments and slices given along a chain (not the chain itself)."""
    found: list[cst.CSTNode] = []
    node: cst.BaseExpression | None = chain
    while node is not None:
        if isinstance(node, cst.Call) and dotted_name(node.func) == "get_object_or_404":
            found.extend(node.args[1:])
            node = node.args[0].value if node.args else None
        elif isinstance(node, cst.Call):
            if not _aggregate_call(node):  # `Max("field")`: the mapping's own (querysets.py)
                found.extend(node.args)
            node = node.func.value if isinstance(node.func, cst.Attribute) else None
        elif isinstance(node, cst.Subscript):
            found.extend(node.slice)
            node = node.value
        elif isinstance(node, cst.Attribute):
            node = node.value
        else:
            node = None
    return found


def _user_groups_lookup(argument: cst.CSTNode) -> bool:
    """`group__in=request.user.groups.all()`, which the translation writes as a condition on
    auth_user_groups."""
    return (
        isinstance(argument, cst.Arg)
        and argument.keyword is not None
        and argument.keyword.value.endswith("__in")
        and user_groups_owner(_source(argument.value)) is not None
    )


def _aggregate_call(node: cst.Call) -> bool:
    return isinstance(node.func, cst.Attribute) and node.func.attr.value == "aggregate"


class _OrmCalls(cst.CSTVisitor):
    """The calls of a Django queryset, related manager or model method (`topic.event_set.last()`)
    that no chain roots: a translation copies its arguments as written, so they would run on a
    generated row."""

    def __init__(self) -> None:
        self.found: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> bool:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in ORM_METHODS:
            self.found.append(node)
            return False
        return True


class _Names(cst.CSTVisitor):
    """The ORM expressions (`F`, `Sum`, ...: names from a `models` module) called, other than
    those the mapping translates (`Q`, `Count`)."""

    def __init__(self, models: frozenset[str]) -> None:
        self.models = models
        self.found: list[str] = []

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Name) and func.value in self.models - TRANSLATED_EXPRESSIONS:
            self.found.append(func.value)


class _Chains(cst.CSTVisitor):
    """The outermost queryset chains of a function."""

    def __init__(self, roots: _Roots) -> None:
        self.roots = roots
        self.found: list[cst.BaseExpression] = []

    def _take(self, node: cst.BaseExpression) -> bool:
        if _rooted(node, self.roots):
            self.found.append(node)
            return False
        return True

    def visit_Call(self, node: cst.Call) -> bool:
        return self._take(node)

    def visit_Subscript(self, node: cst.Subscript) -> bool:
        return self._take(node)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        return self._take(node)


class _Combined(cst.CSTVisitor):
    """Querysets combined with `|` or `&` (`Topic.objects.filter(a=1) | Topic.objects.filter(
    b=1)`): two chains joined by `|` are `unions`, translated whole (querysets.combined_rows); any
    other combination stays on the ORM (each chain alone would become a list of rows)."""

    OPERATORS = (cst.BitOr, cst.BitAnd)

    def __init__(self, chains: set[int], variables: frozenset[str]) -> None:
        self.chains = chains
        self.variables = variables
        self.reasons: list[str] = []
        self.unions: list[cst.BinaryOperation] = []

    def _queryset(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Name):
            return node.value in self.variables
        return id(node) in self.chains

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        chains = id(node.left) in self.chains and id(node.right) in self.chains
        if isinstance(node.operator, cst.BitOr) and chains:
            self.unions.append(node)
        elif isinstance(node.operator, self.OPERATORS) and (
            self._queryset(node.left) or self._queryset(node.right)
        ):
            self.reasons.append(
                f"{' '.join(_source(node).split())[:60]}: querysets combined with | or & (not "
                "in the mapping)"
            )

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.operator, cst.BitOrAssign | cst.BitAndAssign) and self._queryset(
            node.target
        ):
            self.reasons.append(f"{_source(node.target)}: querysets combined with |= or &=")


class _ValueUses(cst.CSTVisitor):
    """Whether every read of a name passes its value on whole: an argument of a call, what a
    loop iterates, a returned or assigned value (`topics = paginate(topics, 10)`), an element
    of a dict, list or tuple (`{"topics": topics}`)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.allowed: set[cst.CSTNode] = set()
        self.other = False

    def _allow(self, node: cst.CSTNode | None) -> None:
        if isinstance(node, cst.Name) and node.value == self.name:
            self.allowed.add(node)

    def visit_Arg(self, node: cst.Arg) -> None:
        self._allow(node.value)

    def visit_For(self, node: cst.For) -> None:
        self._allow(node.target)
        self._allow(node.iter)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._allow(node.iter)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._allow(target.target)
        self._allow(node.value)

    def visit_Return(self, node: cst.Return) -> None:
        self._allow(node.value)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        self._allow(node.value)

    def visit_Element(self, node: cst.Element) -> None:
        self._allow(node.value)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name and node not in self.allowed:
            self.other = True


def _passed_on_only(function: cst.FunctionDef, name: str) -> bool:
    """A name holding a queryset, then something else (`topics = yt_paginate(topics, ...)`),
    whose queryset is only passed on whole: it can hold the rows instead (the chain is read
    where it is assigned), as a chain written in the call would. Any other read (`.get()`,
    `|`, an attribute) keeps the reason."""
    uses = _ValueUses(name)
    _visit(function.body, uses)
    return not uses.other


def _is_statement_chain(node: cst.BaseExpression, one_row: frozenset[str] = frozenset()) -> bool:
    """A chain that is still a queryset (no terminal, no slice): a variable can hold it. A
    custom method counts (querysets.py reads it as the chain it returns, or gives the reason),
    unless it returns one row (`one_row`: `get_object_or_404(self, ...)`)."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        method = node.func.attr.value
        if method in one_row:
            return False
        return method in CHAIN_METHODS or method not in ORM_METHODS | ONE_VALUE_METHODS
    return isinstance(node, cst.Attribute | cst.Name)


class _Variables(cst.CSTVisitor):
    """The names a function assigns querysets to, and every other assignment of them."""

    def __init__(self, roots: _Roots, one_row: frozenset[str] = frozenset()) -> None:
        self.roots = roots
        self.one_row = one_row  # the custom methods returning one row: no queryset to hold
        self.assigned: dict[str, list[cst.BaseExpression]] = {}
        self.other: set[str] = set()
        # names also assigned None: a chain on one raises AttributeError on both sides, the
        # template is given None (context_rows), any other read is a reason (_VariableUses)
        self.nones: set[str] = set()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            name = target.target
            if not isinstance(name, cst.Name):
                continue
            value = node.value
            if _rooted(value, self.roots) and _is_statement_chain(value, self.one_row):
                self.assigned.setdefault(name.value, []).append(value)
            elif isinstance(value, cst.Name) and value.value == "None":
                self.nones.add(name.value)  # a chain on it raises as Django's on None
            else:
                self.other.add(name.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            self.other.add(node.target.value)


class _VariableUses(cst.CSTVisitor):
    """The uses of queryset variables outside chains (visited passing by the chains: `skipped`):
    translated, or reasons. `seekers` are the callees handing their rows argument to the seek
    paginator (seek_pagination.py)."""

    def __init__(
        self,
        variables: frozenset[str],
        skipped: set[cst.CSTNode],
        seekers: dict[str, SeekArgument] | None = None,
    ) -> None:
        self.variables = variables
        self.skipped = skipped
        self.seekers = seekers or {}
        self.translations: dict[cst.CSTNode, Translation] = {}
        self.reasons: list[str] = []
        self.allowed: set[cst.CSTNode] = set()

    def _variable(self, node: cst.CSTNode) -> str | None:
        if isinstance(node, cst.Name) and node.value in self.variables:
            return node.value
        return None

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self.allowed.add(target.target)

    def _seeking(self, node: cst.Call, func: str | None) -> None:
        """`paginate(request, query_set=rows, ...)`: the statement as a seekable queryset."""
        argument = self.seekers.get(func or "")
        if argument is None:
            return
        positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
        given = [arg for arg in node.args if arg.keyword and arg.keyword.value == argument.keyword]
        if given:
            value: cst.BaseExpression | None = given[0].value
        elif len(positional) > argument.position:
            value = positional[argument.position].value
        else:
            value = None
        name = self._variable(value) if value is not None else None
        if name is None or value is None:
            return
        self.translations[value] = Translation(f"seek_rows({SESSION}, {name})", {SEEK_ROWS})
        self.allowed.add(value)

    def visit_Call(self, node: cst.Call) -> None:
        func = dotted_name(node.func)
        self._seeking(node, func)
        first = node.args[0].value if node.args else None
        name = self._variable(first) if first is not None else None
        if name is None or first is None:
            return
        rows = f"{SESSION}.scalars({name}).all()"
        if func == "len" and len(node.args) == 1:
            self.translations[node] = Translation(f"len({rows})")
        elif func == "list" and len(node.args) == 1:
            self.translations[node] = Translation(rows)
        elif func == "Paginator":
            selected = Translation(f"selected({SESSION}, {name})", {(PAGINATION, "selected")})
            self.translations[first] = selected
        else:
            return
        self.allowed.add(first)

    def _iterated(self, node: cst.BaseExpression) -> None:
        name = self._variable(node)
        if name is not None:
            self.translations[node] = Translation(f"{SESSION}.scalars({name}).all()")
            self.allowed.add(node)

    def visit_For(self, node: cst.For) -> None:
        self._iterated(node.iter)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        """`{"lists": lists}` (a template's context): its rows, answering a template's
        `lists.count` as Django's queryset (runtime context_rows.py; None when the variable
        holds None); the template check reads what the template does with them."""
        name = self._variable(node.value)
        if name is not None:
            code = f"{CONTEXT_ROWS}({SESSION}, {name})"
            self.translations[node.value] = Translation(code, {(CONTEXT_ROWS_MODULE, CONTEXT_ROWS)})
            self.allowed.add(node.value)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._iterated(node.iter)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in self.variables and node not in self.allowed:
            self.reasons.append(f"{node.value}: a queryset variable used otherwise")


USER_ROWS = "codemods.runtime.django.user_rows"
FORM_SAVE = "save"  # `form.save(commit=...)` is written `save(session, form, commit=...)`


def form_save(node: cst.Call) -> bool:
    """`form.save(commit=...)`: a ModelForm's save (a model's `save()` takes no `commit`), which
    the form's twin runs (rules/helper_twins.py writes it back as `form.save(commit=...)`); a
    form that gets no twin keeps the view on the ORM with its own reason."""
    func = node.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "save"
        and isinstance(func.value, cst.Name)
        and len(node.args) == 1
        and node.args[0].keyword is not None
        and node.args[0].keyword.value == "commit"
    )


def loose_form_saves(plan: ViewQueries, forms: set[str]) -> list[str]:
    """Why the plan's `x.save(commit=...)` calls (`form_save`) cannot run: `x` holds no form
    with a translated twin (`forms`: the names the view assigns such a form to)."""
    found = []
    for translation in plan.translations.values():
        written = re.match(rf"{FORM_SAVE}\({SESSION}, (\w+), commit=", translation.code)
        if written is not None and written.group(1) not in forms:
            name = written.group(1)
            found.append(f"{name}.save(commit=...): {name} holds no form with a translated twin")
    return found


class _Leftovers(cst.CSTVisitor):
    """What still needs Django's ORM in a function, outside the chains being translated (visited
    passing by them: `skipped`); the model-instance methods the runtime has (`save`, `delete`)
    are translated."""

    def __init__(
        self,
        roots: _Roots,
        skipped: set[cst.CSTNode],
        instances: dict[str, str] | None = None,
        relations: Relations | None = None,
        methods: Methods | None = None,
        files: frozenset[str] = frozenset(),
        tokens: bool = False,
        rows: dict[cst.CSTNode, Translation] | None = None,
    ) -> None:
        self.models = roots.models
        self.files = files  # names of file objects: `x.save(f)` writes a file (file_saves.py)
        self.tokens = tokens  # `user.auth_token` is authtoken's Token (authtoken.py)
        self.rows = rows or {}  # the function's translated chains (a model method's arguments)
        self.roots = roots
        self.skipped = skipped
        self.instances = instances or {}  # names holding one row -> its model
        self.relations = relations if relations is not None else {}
        self.methods = methods or {}  # the models' own querying methods (model_methods.py)
        self.reasons: list[str] = []
        self.translations: dict[cst.CSTNode, Translation] = {}
        self.modules: frozenset[str] = frozenset()  # `os` of `os.remove(path)`: no ORM

    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func
        if model_method_call(
            node, self.methods, self.skipped, self.reasons, self.translations, self.rows
        ):
            found = len(self.translations)
            for arg in node.args:  # what the arguments leave on the ORM
                _visit(arg, self, self.skipped)
            if len(self.translations) > found:
                self.reasons.append(f"{_source(node.func)}: a model method given a query")
            return False
        if isinstance(func, cst.Attribute) and func.attr.value in ("save", "delete"):
            owner = func.value
            if (
                isinstance(owner, cst.Name)
                and owner.value not in self.models
                and not node.args
                and not is_user(owner)
            ):
                method = func.attr.value
                model = self.instances.get(owner.value)
                problems, keys = cascade_plan(self.relations, model) if model else ([], [])
                own = self.methods.get(model or "")
                if own is not None and method in own.instance_overrides:
                    self.reasons.append(
                        f"{owner.value}.{method}(): {model} has its own {method}(), which Django "
                        f"runs and the runtime's {method}() of a row does not"
                    )
                    return False
                if method == "delete" and problems:
                    self.reasons.extend(problems)
                    return False
                cascade = cascade_argument(keys) if method == "delete" else ""
                self.translations[node] = Translation(
                    f"{method}({SESSION}, {owner.value}{cascade})", {(INSTANCES, method)}
                )
                return False
        if form_save(node):
            form = _source(func.value) if isinstance(func, cst.Attribute) else ""
            commit = _source(node.args[0].value)
            self.translations[node] = Translation(  # the form twin's own save (helper twins)
                f"{FORM_SAVE}({SESSION}, {form}, commit={commit})", {(INSTANCES, "save")}
            )
            return False
        if saves_to_file(node, self.files):
            return True
        deleted = token_delete(node) if self.tokens else None
        if deleted is not None:
            self.translations[node] = deleted
            return False
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in ORM_METHODS
            and not (isinstance(func.value, cst.Name) and func.value.value in self.modules)
        ):
            owner_name = dotted_name(func.value) or _source(func.value)
            self.reasons.append(
                f"{owner_name}.{func.attr.value}(): a Django queryset, related manager or model "
                "method"
            )
            return False
        if isinstance(func, cst.Name) and func.value in self.models - TRANSLATED_EXPRESSIONS:
            self.reasons.append(f"{func.value}(...): a Django model or ORM expression")
        return True

    def visit_Assign(self, node: cst.Assign) -> None:
        """`task.created_by = request.user`: the row's relationship takes the user's row."""
        target = node.targets[0].target if len(node.targets) == 1 else None
        if not (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and target.value.value not in self.models
            and is_user(node.value)
        ):
            return
        user_model = user_relation_target(
            self.relations, self.instances.get(target.value.value), target.attr.value
        )
        if user_model is not None:
            code = f"user_row({SESSION}, {TABLES}.{user_model}, {_source(node.value)})"
            self.translations[node.value] = Translation(code, {(USER_ROWS, "user_row")})

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> bool:
        """`except Post.DoesNotExist:` catches what a translated `.get()` raises (`get_one` with
        the legacy model): only its body is looked at."""
        caught = node.type
        names = caught.elements if isinstance(caught, cst.Tuple) else [caught]
        values = [e.value if isinstance(e, cst.Element) else e for e in names]
        if caught is not None and all(
            isinstance(v, cst.Attribute)
            and isinstance(v.value, cst.Name)
            and v.value.value in self.models
            and v.attr.value in MODEL_EXCEPTIONS
            for v in values
        ):
            _visit(node.body, self, self.skipped)
            return False
        return True

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        owner = node.value
        name = node.attr.value
        if _file_read(owner, self.models):
            assert isinstance(owner, cst.Attribute) and isinstance(owner.value, cst.Name)
            row, column = owner.value.value, owner.attr.value
            model = self.instances.get(row)
            if column in file_fields_of(self.relations, model):
                if model is None or model not in self.models:
                    self.reasons.append(
                        f"{row}.{column}.{name}: Django's FieldFile, of a row whose legacy model "
                        "the module does not name (the row holds the file's name)"
                    )
                else:  # Django's FieldFile of the stored name: `.path`, `.url`, `.size`
                    code = f'field_file({model}, "{column}", {row}.{column})'
                    self.translations[owner] = Translation(code, {(FIELD_FILES, "field_file")})
                return False
        if isinstance(owner, cst.Name) and owner.value in self.models:
            if name in MODEL_EXCEPTIONS:
                self.reasons.append(f"{owner.value}.{name}: Django's exception")
            elif name != "objects" and not name[:1].isupper():
                self.reasons.append(f"{owner.value}.{name}: a custom manager or model attribute")
            return False
        return True


FIELD_FILES = "codemods.runtime.django.field_files"


def _file_read(node: cst.BaseExpression, models: frozenset[str]) -> bool:
    """`row.file` read for an attribute (`row.file.path`): a row's column, not a model's."""
    return (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.value.value not in models
        and node.value.value not in ("request", "self")
    )


def user_relation_target(relations: Relations, model: str | None, name: str) -> str | None:
    """The generated user model a to-one relation `name` leads to: of `model` when the row's
    model is known, else of every model having a relation so named (one target, or None)."""
    owners = [relations.get(model, {})] if model else list(relations.values())
    targets = {
        found.target
        for fields in owners
        if (found := fields.get(name)) is not None
        and found.to_one and found.to_user and found.mapped
    }  # fmt: skip
    others = [f for fields in relations.values() if (f := fields.get(name)) and not f.to_user]
    if len(targets) != 1 or (model is None and others):
        return None
    return next(iter(targets))


def _update_values(chain: cst.BaseExpression) -> list[cst.CSTNode]:
    """The arguments of a chain's final `update(...)`: their `F()` were translated."""
    if (
        isinstance(chain, cst.Call)
        and isinstance(chain.func, cst.Attribute)
        and chain.func.attr.value == "update"
    ):
        return list(chain.args)
    return []


def _aggregate_values(chain: cst.BaseExpression) -> list[cst.CSTNode]:
    """The arguments of a chain's final `aggregate(...)` (`["name"]` after it or not)."""
    if isinstance(chain, cst.Subscript):
        chain = chain.value
    if (
        isinstance(chain, cst.Call)
        and isinstance(chain.func, cst.Attribute)
        and chain.func.attr.value == "aggregate"
    ):
        return list(chain.args)
    return []


def _called(function: cst.FunctionDef) -> frozenset[str]:
    found = _calls.get(function)
    if found is None:
        found = _calls[function] = frozenset(_calls_in(function))
    return found


def _calls_in(function: cst.FunctionDef) -> set[str]:
    """The names the function calls: in its body (read once a run, calls_by_name), its
    decorators, its parameters' defaults..."""
    names: set[str] = set(calls_by_name(function.body, _kinds))

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name):
                names.add(node.func.value)

    for child in child_nodes(function):
        if child is not function.body:
            _visit(child, Calls())
    return names


def _roots(
    models: frozenset[str],
    relations: Relations,
    managers: Managers,
    variables: frozenset[str],
    methods: Methods | None = None,
) -> _Roots:
    owned = instance_sets(relations)
    unambiguous = frozenset(name for name, rows in owned.items() if len(rows) == 1)
    sets = set(user_sets(relations)) | ({USER_GROUPS} if groups_generated(relations) else set())
    class_methods = {
        model: frozenset(
            name
            for name, method in found.methods.items()
            if method.on_model and name not in found.twins  # a twin's call: model_method_calls
        )
        for model, found in (methods or {}).items()
    }
    rows = frozenset(user_rows(relations))
    return _Roots(
        models, frozenset(sets), managers, unambiguous, variables, class_methods, user_rows=rows
    )


def function_queries(
    function: cst.FunctionDef,
    models: frozenset[str],
    relations: Relations,
    managers: Managers,
    methods: Methods | None = None,
    keys: Keys | None = None,
    statements: frozenset[int] = frozenset(),
    parameters: dict[str, str] | None = None,
    tokens: bool = False,
    seekers: dict[str, SeekArgument] | None = None,
    modules: frozenset[str] = frozenset(),
) -> ViewQueries:
    """The translations of one function's own queries (not of the functions it calls).
    `statements` are the chains (by id) it passes to a helper's queryset parameter: they stay
    `select()` statements; `parameters` are its own queryset parameters -> their model
    (queryset_parameters.py); `tokens`: `user.auth_token` is authtoken's Token (authtoken.py);
    `seekers` the callees given a queryset for the seek paginator (seek_pagination.py)."""
    methods = methods or {}
    parameters = parameters or {}
    passes = _Passes(function.body, models, relations, managers, methods)
    variables = _queryset_variables(passes) | frozenset(parameters)
    given = _Given(keys or {}, statements, parameters, tokens, seekers or {}, modules)
    found = _function_queries(function, passes, variables, given)
    lists = {v for v in variables if f"{v}: a queryset variable used otherwise" in found.reasons}
    lists = {v for v in lists if not _chained(passes, v, variables)} - set(parameters)
    if lists:  # used only as a whole: the rows, read where it is assigned (a list)
        found = _function_queries(function, passes, variables - lists, given)
    return found


@dataclass(frozen=True)
class _Given:
    """What a function's translation is told besides its body: the names holding known keys,
    the chains to keep as statements, its queryset parameters and their models."""

    keys: Keys
    statements: frozenset[int] = frozenset()
    parameters: dict[str, str] = field(default_factory=dict)
    tokens: bool = False
    seekers: dict[str, SeekArgument] = field(default_factory=dict)
    modules: frozenset[str] = frozenset()  # the names `import os` binds: no model's methods


def chained_parameters(
    function: cst.FunctionDef,
    models: frozenset[str],
    relations: Relations,
    managers: Managers,
) -> list[str]:
    """The parameters a queryset chain of `function` goes on from (`queryset.order_by(...)`),
    which it never assigns: those a caller may give a statement (queryset_parameters.py)."""
    names = frozenset(parameter_names(function))
    passes = _Passes(function.body, models, relations, managers, {})
    chained = {_root_name(chain) for chain in passes.chains(names).found}
    gather = passes.variables(names)
    assigned = set(gather.assigned) | gather.other | gather.nones
    return sorted((names & chained) - assigned)


def is_statement(node: cst.BaseExpression, models: frozenset[str], managers: Managers) -> bool:
    """`node` is a queryset chain still a queryset (`User.objects.filter(...)`), rooted at a
    model: a caller can give it as a statement."""
    roots = _roots(models, {}, managers, frozenset())
    return _rooted(node, roots) and _is_statement_chain(node)


@dataclass
class _Passes:
    """The visits of one function's body that depend only on the queryset variables: each made
    once, whichever step asks for it."""

    body: cst.BaseSuite
    models: frozenset[str]
    relations: Relations
    managers: Managers
    methods: Methods  # the custom QuerySet methods: model class methods count as roots with them
    _variables: dict[tuple[frozenset[str], bool], _Variables] = field(default_factory=dict)
    _chains: dict[tuple[frozenset[str], bool], _Chains] = field(default_factory=dict)

    def roots(self, variables: frozenset[str], with_methods: bool = False) -> _Roots:
        methods = self.methods if with_methods else None
        return _roots(self.models, self.relations, self.managers, variables, methods)

    def variables(self, variables: frozenset[str], with_methods: bool = False) -> _Variables:
        """The assignments (`_Variables`), with `variables` holding querysets."""
        key = (variables, with_methods)
        if key not in self._variables:
            gather = _Variables(self.roots(variables, with_methods), one_row_methods(self.methods))
            _visit(self.body, gather)
            self._variables[key] = gather
        return self._variables[key]

    def chains(self, variables: frozenset[str], with_methods: bool = False) -> _Chains:
        """The outermost queryset chains (`_Chains`), with `variables` holding querysets."""
        key = (variables, with_methods)
        if key not in self._chains:
            chains = _Chains(self.roots(variables, with_methods))
            _visit(self.body, chains)
            self._chains[key] = chains
        return self._chains[key]


def _chained(passes: _Passes, name: str, variables: frozenset[str]) -> bool:
    """A queryset variable that a chain goes on from (`posts.filter(...)`), or reassigned."""
    if len(passes.variables(variables).assigned.get(name, [])) > 1:
        return True
    return any(_root_name(chain) == name for chain in passes.chains(variables).found)


def _root_name(node: cst.CSTNode) -> str | None:
    while isinstance(node, cst.Call | cst.Attribute | cst.Subscript):
        if isinstance(node, cst.Call):
            node = node.func
        elif isinstance(node, cst.Attribute | cst.Subscript):
            node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _queryset_variables(passes: _Passes) -> frozenset[str]:
    """The names the function assigns querysets only (grown until `posts = posts.filter()`
    counts as a queryset too)."""
    candidates = frozenset(passes.variables(frozenset()).assigned)
    while True:
        gather = passes.variables(candidates)
        kept = frozenset(set(gather.assigned) - gather.other)
        if kept == candidates:
            return kept
        candidates = kept


def _function_queries(
    function: cst.FunctionDef, passes: _Passes, variables: frozenset[str], given: _Given
) -> ViewQueries:
    models, relations, managers, methods = (
        passes.models,
        passes.relations,
        passes.managers,
        passes.methods,
    )
    found = ViewQueries()
    gather = passes.variables(variables, with_methods=True)
    for name in sorted(set(gather.assigned) & gather.other):
        if not _passed_on_only(function, name):
            found.reasons.append(f"{name}: holds a queryset and something else")
    roots = passes.roots(variables, with_methods=True)
    scope = Scope(managers, dict(given.parameters), methods, keys=given.keys)
    assigned_values = {id(v): name for name, values in gather.assigned.items() for v in values}
    chains = passes.chains(variables, with_methods=True)
    combined = _Combined({id(chain) for chain in chains.found}, variables)
    _visit(function.body, combined)
    found.reasons.extend(combined.reasons)
    for chain in chains.found:
        try:
            if id(chain) in assigned_values and assigned_values[id(chain)] in variables:
                model, translation = statement_of(chain, models, relations, scope)
                name = assigned_values[id(chain)]
                if scope.variables.setdefault(name, model) != model:
                    raise Unconvertible(f"{name}: holds querysets of two models")
            elif id(chain) in given.statements:  # a helper's queryset parameter gets it
                model, translation = statement_of(chain, models, relations, scope)
                found.statement_models[id(chain)] = model
            else:
                translation = translate(chain, models, relations, scope)
        except Unconvertible as error:
            found.reasons.append(str(error))
            continue
        inner = _Chains(roots)
        names = _Names(models)
        orm_calls = _OrmCalls()
        values = _update_values(chain)  # their F() became columns (f_expressions.py)
        aggregates = _aggregate_values(chain)
        for argument in _arguments(chain):
            if _user_groups_lookup(argument):
                continue  # `in_user_groups(...)` (querysets.py): no queryset left inside
            _visit(argument, inner)
            if argument in aggregates:  # their Max()/Count() became SQL functions
                _visit(argument, _Names(models - set(AGGREGATES)))
            else:
                _visit(argument, _Names(models - {"F"}) if argument in values else names)
            _visit(argument, orm_calls)
        if inner.found:
            found.reasons.append(f"{_source(inner.found[0])}: a queryset inside a queryset")
        elif orm_calls.found:
            found.reasons.append(
                f"{_source(orm_calls.found[0])} in a query: a Django queryset, related manager or "
                "model method"
            )
        elif names.found:
            found.reasons.append(f"{names.found[0]}(...) in a query: an ORM expression")
        else:
            found.translations[chain] = translation
    for union in combined.unions:
        try:
            translation = combined_rows(union, models, relations, scope)
        except Unconvertible as error:
            found.reasons.append(str(error))
            continue
        found.translations.pop(union.left, None)
        found.translations.pop(union.right, None)
        found.translations[union] = translation
    uses = _VariableUses(variables, set(chains.found), given.seekers)
    _visit(function.body, uses, uses.skipped)
    found.translations.update(uses.translations)
    found.reasons.extend(uses.reasons)
    instances = _instances(function, chains.found, models, relations, scope)
    files = file_objects(function)
    leftovers = _Leftovers(
        roots,
        set(chains.found),
        instances,
        relations,
        methods,
        files,
        given.tokens,
        found.translations,
    )
    leftovers.modules = given.modules
    _visit(function.body, leftovers, leftovers.skipped)
    found.translations.update(leftovers.translations)
    found.reasons.extend(f"{function.name.value}: {reason}" for reason in leftovers.reasons)
    found.reasons = list(dict.fromkeys(found.reasons))
    return found


def _instances(
    function: cst.FunctionDef,
    chains: list[cst.BaseExpression],
    models: frozenset[str],
    relations: Relations,
    scope: Scope,
) -> dict[str, str]:
    """The names the function assigns one row of a chain to (`task = get_object_or_404(Task,
    ...)`) -> the row's model."""
    assigned: dict[int, str] = {}

    class Assignments(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
                assigned[id(node.value)] = node.targets[0].target.value

    _visit(function.body, Assignments())
    found: dict[str, str] = {}
    for chain in chains:
        name = assigned.get(id(chain))
        model = instance_model(chain, models, relations, scope) if name else None
        if name and model:
            found[name] = model
    return found


def _reached(view: str, functions: dict[str, cst.FunctionDef]) -> list[str]:
    """The module's functions `view` calls, transitively."""
    reached: list[str] = []
    pending = sorted(_called(functions[view]) & set(functions) - {view})
    while pending:
        name = pending.pop()
        if name in reached or name == view:
            continue
        reached.append(name)
        pending.extend(sorted(_called(functions[name]) & set(functions) - set(reached)))
    return sorted(reached)


def view_queries(
    view: cst.FunctionDef,
    functions: dict[str, cst.FunctionDef],
    models: frozenset[str],
    querying: set[str],
    relations: Relations,
    managers: Managers | None = None,
    methods: Methods | None = None,
) -> ViewQueries:
    """The plan for `view` alone: `functions` are its module's, `querying` those reaching the
    ORM (a querying helper is a reason here; module_view_queries translates helpers too)."""
    found = function_queries(view, models, relations, managers or {}, methods)
    for name in _reached(view.name.value, {**functions, view.name.value: view}):
        if name in querying:
            found.reasons.append(f"calls {name}(), which queries Django's ORM")
    found.reasons = list(dict.fromkeys(found.reasons))
    return found


def _imported_modules(tree: cst.Module) -> frozenset[str]:
    """The names the module's top-level `import x` (`import os.path`: `os`) binds."""
    found: set[str] = set()
    for statement in tree.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for node in statement.body:
            if isinstance(node, cst.Import):
                for alias in node.names:
                    local = alias.asname.name if alias.asname else alias.name
                    bound = dotted_name(local) if isinstance(local, cst.BaseExpression) else None
                    if bound:
                        found.add(bound.split(".")[0])
    return frozenset(found)


def _run_kinds() -> KindIndex:
    """The run's index of masks (a subtree's masks depend on it alone); outside a run, a new
    one."""
    memo = run_memo()
    if memo is None:
        return KindIndex()
    found = memo.get(_KINDS_KEY)
    if not isinstance(found, KindIndex):
        found = memo[_KINDS_KEY] = KindIndex()
    return found


_KINDS_KEY = "view_queries.kinds"


def module_functions(tree: cst.Module) -> dict[str, cst.FunctionDef]:
    return {node.name.value: node for node in tree.body if isinstance(node, cst.FunctionDef)}


def module_view_queries(
    tree: cst.Module,
    views: set[str],
    models: frozenset[str],
    querying: set[str],
    relations: Relations,
    model_modules: dict[str, str],
    managers: Managers | None = None,
    methods: Methods | None = None,
    template_check: TemplateCheck | None = None,
    classes: dict[str, str] | None = None,
    seekers: dict[str, SeekArgument] | None = None,
) -> dict[str, ViewQueries]:
    """The plan of each of `views` (function names of `tree`) that reaches the ORM, and of the
    querying functions they call (`helper` plans); the models its queries use
    (`model_modules`: local name -> the module it comes from) must come from one module,
    imported as `tables`, unless `classes` (model class -> its module, model_modules.py) is
    given: then each models module is imported (the queries rule). A helper is translated only
    when every view of `views` reaching it converts (else it keeps Django's ORM, and so do the
    views that call it); `template_check` gives the reasons a view's templates cannot read its
    rows."""
    global _kinds
    _kinds = _run_kinds()
    _calls.clear()
    managers = managers or {}
    functions = module_functions(tree)
    modules = _imported_modules(tree)
    targets = sorted(views & querying & set(functions))
    reach = {name: _reached(name, functions) for name in targets}
    names = sorted({*targets, *(h for name in targets for h in reach[name])})
    given = {
        helper: _queryset_arguments(functions, helper, models, relations, managers)
        for helper in names
        if helper not in targets
    }
    statements = frozenset(
        id(chain) for params in given.values() for chains in params.values() for chain in chains
    )

    def queries(name: str, parameters: dict[str, str] | None = None) -> ViewQueries:
        keys = literal_keys(functions[name], tree, _kinds)
        function = functions[name]
        inputs = (models, relations, managers, methods, keys, statements, parameters, seekers)
        return read_once(
            ("function_queries", name, modules),
            function.body,  # all the reading reads of the function, with its name
            inputs,
            lambda: function_queries(
                function,
                models,
                relations,
                managers,
                methods,
                keys,
                statements,
                parameters,
                seekers=seekers,
                modules=modules,
            ),
            _copied,
        )

    own = {name: queries(name) for name in names}
    for helper, params in given.items():
        parameters, reasons = _parameter_models(params, own.values())
        if parameters:
            own[helper] = queries(helper, parameters)
        own[helper].reasons[:0] = reasons  # the first: what a caller's route reports
    # the functions that query: those orm_use.py finds, and those using an instance's related
    # managers or methods (`post.tags.all()`), which only the translation sees
    querying = {
        name for name, plan in own.items() if name in querying or plan.translations or plan.reasons
    }
    helpers = sorted({h for name in targets for h in reach[name] if h in querying} - set(targets))
    own = {name: own[name] for name in [*targets, *helpers]}
    # a helper the views call directly, reaching no other querying helper, can get a twin
    # (`name_with_session`) when other code keeps calling it as written
    twinnable = {
        helper
        for helper in helpers
        if not any(h in querying for h in _reached(helper, functions))
        and twin_name(helper) not in _top_level_names(tree)
        and all(helper in _called(functions[v]) for v in targets if helper in reach[v])
    }
    outside: dict[str, str] = {}
    for helper in helpers:  # it will take `session=`: every caller must be translated too
        found = _used_outside(tree, helper, {*targets, *helpers})
        if found and helper in twinnable:
            outside[helper] = found
        elif found:
            own[helper].reasons.append(
                f"{helper}() is also used by {found}, which would not pass it a session"
            )
    bound = _top_level_names(tree)
    for plan in own.values():
        _unshadowed(plan, bound)
        plan.reasons += _shadowed(plan, bound)
        if classes is not None:  # the queries rule imports each models module the plan uses
            plan.reasons += unplaced_models(plan, model_modules, classes)
            plan.reasons += [
                f"its queries use {module}, not a models module of SRC (no generated twin)"
                for module in sorted(
                    used_modules(plan, model_modules, classes) - set(classes.values())
                )
            ]
        elif len(used_modules(plan, model_modules)) > 1:
            plan.reasons.append("its queries' models come from more than one models module")
    for name in targets:
        if template_check is not None and not own[name].reasons:
            own[name].reasons += template_check(functions[name], own[name].translations, functions)
    converting = [plan for plan in own.values() if not plan.reasons]
    used = {module for plan in converting for module in used_modules(plan, model_modules)}
    if len(used) > 1 and classes is None:  # one models module per module, as `tables`
        for plan in converting:
            plan.reasons.append(
                "the module's other converted views use another models module (one `tables` "
                "per module)"
            )
    blocked: dict[str, list[str]] = {name: list(own[name].reasons) for name in targets}
    changed = True
    while changed:  # a view converts when it and its querying helpers all do
        changed = False
        for name in targets:
            if blocked[name]:
                continue
            for helper in reach[name]:
                if helper not in querying:
                    continue
                users = [v for v in targets if helper in reach[v]]
                shared = helper not in twinnable and any(blocked[v] for v in users)
                if own[helper].reasons or shared:
                    why = own[helper].reasons[:1] or ["a view calling it stays on the ORM"]
                    blocked[name].append(f"calls {helper}(), which stays on Django's ORM")
                    blocked[name].extend(f"{helper}: {reason}" for reason in why)
                    changed = True
                    break
    plans: dict[str, ViewQueries] = {}
    for name in targets:
        plan = own[name]
        plan.reasons = list(dict.fromkeys(blocked[name]))
        plan.helpers = {h for h in reach[name] if h in querying}
        plans[name] = plan
    for helper in helpers:
        users = [v for v in targets if helper in reach[v]]
        staying = [v for v in users if plans[v].reasons]
        if users and len(staying) < len(users) and not own[helper].reasons:
            plan = own[helper]
            plan.helper = True
            plan.twin = bool(staying or helper in outside)
            plan.helpers = {h for h in _reached(helper, functions) if h in querying}
            plans[helper] = plan
    return plans


def _copied(plan: ViewQueries) -> ViewQueries:
    """A copy of `plan` its reader can change (module_view_queries adds reasons)."""
    return replace(
        plan,
        translations={
            node: replace(translation, imports=set(translation.imports))
            for node, translation in plan.translations.items()
        },
        reasons=list(plan.reasons),
        helpers=set(plan.helpers),
        statement_models=dict(plan.statement_models),
    )


def twin_name(helper: str) -> str:
    """The name of a helper's translated twin, beside the helper kept as written."""
    return f"{helper}_with_session"


def _queryset_arguments(
    functions: dict[str, cst.FunctionDef],
    helper: str,
    models: frozenset[str],
    relations: Relations,
    managers: Managers,
) -> dict[str, list[cst.BaseExpression]]:
    """`helper`'s parameters its chains go on from that every call of it in the module gives a
    queryset chain -> those chains (queryset_parameters.py)."""
    function = functions[helper]
    chained = chained_parameters(function, models, relations, managers)
    if not chained:
        return {}
    calls = calls_of(functions.values(), helper, _kinds)
    return queryset_arguments(
        function, chained, calls, lambda node: is_statement(node, models, managers)
    )


def _parameter_models(
    params: dict[str, list[cst.BaseExpression]], plans: Iterable[ViewQueries]
) -> tuple[dict[str, str], list[str]]:
    """Each queryset parameter -> the model of the statements its callers give it (their
    plans' `statement_models`); the reasons of those given none or several models."""
    models: dict[int, str] = {}
    for plan in plans:
        models.update(plan.statement_models)
    found: dict[str, str] = {}
    reasons: list[str] = []
    for name, chains in params.items():
        given = [models.get(id(chain)) for chain in chains]
        known = {model for model in given if model is not None}
        if len(known) > 1:
            reasons.append(f"{name}: its callers give it querysets of {len(known)} models")
        elif known and None not in given:  # else a caller's chain stays, and the caller
            found[name] = known.pop()
    return found, reasons


def _top_level_names(tree: cst.Module) -> dict[str, str]:
    """The names the module binds at its top: `from m import x` -> "m.x", others -> ""."""
    bound: dict[str, str] = {}
    for statement in tree.body:
        if isinstance(statement, cst.FunctionDef | cst.ClassDef):
            bound[statement.name.value] = ""
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for node in statement.body:
            if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
                written = dotted_name(node.module) if node.module is not None else None
                module = "." * len(node.relative) + (written or "")
                for alias in node.names:
                    local = alias.evaluated_alias or alias.evaluated_name
                    bound[local] = f"{module}.{alias.evaluated_name}"
            elif isinstance(node, cst.Assign):
                for target in node.targets:
                    if isinstance(target.target, cst.Name):
                        bound[target.target.value] = ""
    return bound


RUNTIME_PACKAGE = "codemods.runtime."


def _unshadowed(plan: ViewQueries, bound: dict[str, str]) -> None:
    """A runtime function the module binds to something else (`delete`, where a view is named
    so) is called through its runtime module in the plan's translations:
    `instances.delete(session, row)`, with `from codemods.runtime.django import instances`."""
    for node, translation in plan.translations.items():
        clashing = {
            (module, name)
            for module, name in translation.imports
            if module.startswith(RUNTIME_PACKAGE)
            and bound.get(name, f"{module}.{name}") != f"{module}.{name}"
        }
        if clashing:
            plan.translations[node] = _through_modules(translation, clashing)


class _ThroughModule(cst.CSTTransformer):
    def __init__(self, modules: dict[str, str]) -> None:
        self.modules = modules  # function name -> its module's last part

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = updated_node.func
        if isinstance(func, cst.Name) and func.value in self.modules:
            owner = cst.Name(self.modules[func.value])
            return updated_node.with_changes(func=cst.Attribute(owner, cst.Name(func.value)))
        return updated_node


def _through_modules(translation: Translation, clashing: set[tuple[str, str]]) -> Translation:
    modules = {name: module.rsplit(".", 1)[1] for module, name in clashing}
    code = cst.parse_expression(translation.code).visit(_ThroughModule(modules))
    assert isinstance(code, cst.BaseExpression)
    parents = {module.rpartition(".") for module, _ in clashing}
    imports = (translation.imports - clashing) | {(parent, last) for parent, _, last in parents}
    return Translation(_source(code), imports)


def _shadowed(plan: ViewQueries, bound: dict[str, str]) -> list[str]:
    """A name the translations import that the module binds to something else (a branching
    method's `settings` where the view has Django's): the import would replace it."""
    return [
        f"its queries need {name} of {module}, which the module binds to something else"
        for translation in plan.translations.values()
        for module, name in sorted(translation.imports)
        if bound.get(name, f"{module}.{name}") != f"{module}.{name}"
    ]


def _used_outside(tree: cst.Module, name: str, translated: set[str]) -> str | None:
    """The first top-level statement other than the translated functions (and `name`'s own
    definition) that mentions `name`, by its name or "module-level code"."""

    class Mentions(cst.CSTVisitor):
        found = False

        def visit_Name(self, node: cst.Name) -> None:
            if node.value == name:
                self.found = True

    bit = name_bit(name)
    for statement in tree.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value in translated:
            continue
        if not _kinds.mask(statement) & bit:  # it does not spell the name
            continue
        mentions = Mentions()
        _visit(statement, mentions)
        if mentions.found:
            if isinstance(statement, cst.FunctionDef | cst.ClassDef):
                return statement.name.value
            return "module-level code"
    return None


# django.contrib.auth's and django.contrib.sites' classes the models rule generates in the models
# module (no SRC module defines them; with a shared base, model_modules.py places User in its
# module)
AUTH_CLASSES = frozenset({AUTH_USER, GROUP_CLASS, SITE_CLASS})


def used_modules(
    plan: ViewQueries, model_modules: dict[str, str], classes: dict[str, str] | None = None
) -> set[str]:
    """The models modules the plan's translations use (as `tables.<Model>`): a model the
    module imports by its import (`model_modules`), another by the module defining it
    (`classes`, model_modules.py). With `classes`, django.contrib.auth's User and Group are no
    module's (the models rule generates them beside the models module)."""
    names = _named(plan)
    if classes is not None:
        names -= AUTH_CLASSES - set(classes)
    return {
        model_modules[name] if name in model_modules else (classes or {})[name]
        for name in names
        if name in model_modules or name in (classes or {})
    }


def unplaced_models(
    plan: ViewQueries, model_modules: dict[str, str], classes: dict[str, str]
) -> list[str]:
    """Why the plan's models cannot be imported: a model whose models module is not known (a
    class name no models module of SRC defines, or two do), or only the auth User used."""
    names = _named(plan)
    found = [
        f"{name}: its models module is not known (no models module of SRC defines it, or two do)"
        for name in sorted(names - set(model_modules) - set(classes) - AUTH_CLASSES)
    ]
    if names and not used_modules(plan, model_modules, classes):
        found.append("its queries use only django.contrib.auth's User: no models module to import")
    return found


def _named(plan: ViewQueries) -> set[str]:
    return {n for t in plan.translations.values() for n in tables_names(t.code)}
