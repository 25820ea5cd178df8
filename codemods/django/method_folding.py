"""A custom Manager or QuerySet method that is not one chain, folded into the chain it returns
when everything it decides on is known where it is written: its calls of the class's other
methods with literal arguments, their defaults. A module constant (a name bound once, at the
module's top, to a literal or to a lazy translation of literals) folds into the chain as its
literal and compares equal to itself; a condition on its value is not folded. django-postman:

    def inbox(self, user, with_related=True, **kwargs):
        related = ('sender',) if with_related else None
        filters = {'recipient': user, 'moderation_status': STATUS_ACCEPTED}
        query_dict = kwargs.get('query_dict')
        if query_dict and 'unread' in query_dict:
            filters['read_at__isnull'] = True
        return self._folder(related, filters, **kwargs)

    def inbox_unread_count(self, user):
        return self.inbox(user, with_related=False, option=OPTION_MESSAGES).filter(
            read_at__isnull=True).count()

folds `inbox_unread_count` into
`self.all().filter(Q(recipient=user, moderation_status='a')).filter(read_at__isnull=True).count()`
(`_folder` takes its `option == OPTION_MESSAGES` branch), which querysets.py translates as any
method's chain. The method's own parameters stay names (`user`); a condition, loop or key that
depends on one, a statement other than an assignment, `if`, `for` over a known tuple and `return`,
or a call other than the class's methods, queryset methods, `Q(...)`, `isinstance` and
`kwargs.get` leaves the method unread (its calls stay on Django's ORM).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 4
# queryset methods a folded chain may call (what querysets.py reads in a chain, or ends it with)
CHAIN_CALLS = frozenset(
    {
        "all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "distinct",
        "count", "exists", "first", "last", "get",
    }
)  # fmt: skip
Q_NAMES = ("Q", "models.Q")


class NotFolded(Exception):
    """The method decides on something not known where it is written."""


@dataclass(frozen=True)
class Code:
    """A value known only as code: a parameter, a chain on `self`, a `Q(...)`."""

    text: str
    chain: bool = False  # a queryset chain on `self`


@dataclass(frozen=True)
class Named:
    """A module constant: its literal value (None for a lazy translation of literals,
    `pgettext_lazy('postman_url', 'm')`, whose text depends on the active language). It folds
    into a chain as its literal and compares equal to itself; a condition on its value is not
    folded (Django reads the name when the query runs)."""

    name: str
    value: Any = None
    literal: bool = True


LAZY_TRANSLATIONS = frozenset({"gettext_lazy", "pgettext_lazy", "ugettext_lazy", "_"})


def module_constants(tree: ast.Module) -> dict[str, Any]:
    """The module's names bound once, at its top, to a literal (`STATUS_ACCEPTED = 'a'`) or to
    a lazy translation of literals (`OPTION_MESSAGES = pgettext_lazy('postman_url', 'm')`)."""
    found: dict[str, Any] = {}
    seen: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if not isinstance(target, ast.Name):
                continue
            if target.id in seen:
                found.pop(target.id, None)
                continue
            seen.add(target.id)
            if _lazy_translation(value):
                found[target.id] = Named(target.id, literal=False)
                continue
            try:
                found[target.id] = Named(target.id, ast.literal_eval(value))
            except (ValueError, TypeError, SyntaxError, RecursionError):
                continue
    return found


def _lazy_translation(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and ast.unparse(node.func).rsplit(".", 1)[-1] in LAZY_TRANSLATIONS
        and not node.keywords
        and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args)
    )


def fold(
    function: ast.FunctionDef, methods: dict[str, ast.FunctionDef], constants: dict[str, Any]
) -> tuple[str, tuple[str, ...]] | None:
    """(the chain `function` returns, written on `self` with its parameters as names; the other
    methods of the class it folded in), or None when it does not fold."""
    arguments = function.args
    if arguments.vararg or arguments.kwarg or arguments.posonlyargs or function.decorator_list:
        return None
    if arguments.kwonlyargs or arguments.defaults:
        return None  # a parameter with a default may be given anything by a caller
    names = [a.arg for a in arguments.args]
    if not names or names[0] != "self":
        return None
    folder = _Folder(methods, constants)
    env: dict[str, Any] = {name: Code(name) for name in names[1:]}
    try:
        value = folder.body(function.body, env, 0)
    except (NotFolded, RecursionError):
        return None
    if not (isinstance(value, Code) and value.chain):
        return None
    return value.text, tuple(sorted(folder.used))


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Folder:
    def __init__(self, methods: dict[str, ast.FunctionDef], constants: dict[str, Any]) -> None:
        self.methods = methods
        self.constants = constants
        self.used: set[str] = set()

    def body(self, statements: list[ast.stmt], env: dict[str, Any], depth: int) -> Any:
        try:
            self.run(statements, env, depth)
        except _Return as returned:
            return returned.value
        raise NotFolded("no return")

    def run(self, statements: list[ast.stmt], env: dict[str, Any], depth: int) -> None:
        for statement in statements:
            self.statement(statement, env, depth)

    def statement(self, node: ast.stmt, env: dict[str, Any], depth: int) -> None:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            return  # a docstring
        if isinstance(node, ast.Pass):
            return
        if isinstance(node, ast.Return) and node.value is not None:
            raise _Return(self.value(node.value, env, depth))
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            self.assign(node.targets[0], self.value(node.value, env, depth), env)
            return
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            self.assign(node.target, self.value(node.value, env, depth), env)
            return
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            current = self.value(node.target, env, depth)
            added = self.value(node.value, env, depth)
            env[node.target.id] = self.binary(node.op, current, added)
            return
        if isinstance(node, ast.If):
            chosen = node.body if self.known(node.test, env, depth) else node.orelse
            self.run(chosen, env, depth)
            return
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name) and not node.orelse:
            items = self.value(node.iter, env, depth)
            if not isinstance(items, tuple | list):
                raise NotFolded("a loop over something not known")
            for item in items:
                env[node.target.id] = item
                self.run(node.body, env, depth)
            return
        raise NotFolded(f"statement {type(node).__name__}")

    def assign(self, target: ast.expr, value: Any, env: dict[str, Any]) -> None:
        if isinstance(target, ast.Name):
            env[target.id] = value
            return
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            held = env.get(target.value.id)
            key = self.value(target.slice, env, 0)
            if isinstance(held, dict) and isinstance(key, str):
                env[target.value.id] = {**held, key: value}
                return
        raise NotFolded("an assignment to something not known")

    def known(self, node: ast.expr, env: dict[str, Any], depth: int) -> bool:
        value = self.value(node, env, depth)
        if isinstance(value, Code | Named):
            raise NotFolded("a condition on something not known")
        return bool(value)

    def value(self, node: ast.expr, env: dict[str, Any], depth: int) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in env:
                return env[node.id]
            if node.id in self.constants:
                return self.constants[node.id]
            if node.id == "self":
                return Code("self", chain=True)
            raise NotFolded(f"name {node.id}")
        if isinstance(node, ast.Tuple | ast.List):
            return tuple(self.value(e, env, depth) for e in node.elts)
        if isinstance(node, ast.Dict):
            keys = [self.value(k, env, depth) if k is not None else None for k in node.keys]
            if not all(isinstance(k, str) for k in keys):
                raise NotFolded("a dict whose keys are not known strings")
            return {k: self.value(v, env, depth) for k, v in zip(keys, node.values, strict=True)}
        if isinstance(node, ast.IfExp):
            chosen = node.body if self.known(node.test, env, depth) else node.orelse
            return self.value(chosen, env, depth)
        if isinstance(node, ast.BoolOp):
            result: Any = None
            for operand in node.values:
                result = self.value(operand, env, depth)
                if isinstance(result, Code | Named):
                    raise NotFolded("and/or on something not known")
                if bool(result) == isinstance(node.op, ast.Or):
                    return result
            return result
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not self.known(node.operand, env, depth)
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            return self.compare(node, env, depth)
        if isinstance(node, ast.BinOp):
            left = self.value(node.left, env, depth)
            return self.binary(node.op, left, self.value(node.right, env, depth))
        if isinstance(node, ast.Call):
            return self.call(node, env, depth)
        raise NotFolded(f"expression {type(node).__name__}")

    def compare(self, node: ast.Compare, env: dict[str, Any], depth: int) -> bool:
        left = self.value(node.left, env, depth)
        right = self.value(node.comparators[0], env, depth)
        if isinstance(left, Code) or isinstance(right, Code):
            raise NotFolded("a comparison with something not known")
        op = node.ops[0]
        if isinstance(left, Named) or isinstance(right, Named):
            if left != right or not isinstance(op, ast.Eq | ast.NotEq):
                raise NotFolded("a condition on a module constant's value")
            return isinstance(op, ast.Eq)  # the same constant: equal whatever its value
        if isinstance(op, ast.Eq):
            return bool(left == right)
        if isinstance(op, ast.NotEq):
            return bool(left != right)
        if isinstance(op, ast.Is):
            return left is right
        if isinstance(op, ast.IsNot):
            return left is not right
        if isinstance(op, ast.In):
            return bool(left in right)
        if isinstance(op, ast.NotIn):
            return bool(left not in right)
        raise NotFolded("a comparison")

    def binary(self, op: ast.operator, left: Any, right: Any) -> Any:
        if isinstance(op, ast.BitOr) and _is_q(left) and _is_q(right):
            return Code(f"{left.text} | {right.text}")
        raise NotFolded("an operation on something not known")

    def call(self, node: ast.Call, env: dict[str, Any], depth: int) -> Any:
        function = ast.unparse(node.func)
        if function in Q_NAMES:
            return Code(f"Q({self.arguments(node, env, depth)})")
        if function == "isinstance" and len(node.args) == 2 and not node.keywords:
            return self.instance_check(node, env, depth)
        if not isinstance(node.func, ast.Attribute):
            raise NotFolded(f"a call of {function}")
        owner, name = node.func.value, node.func.attr
        if isinstance(owner, ast.Name) and owner.id == "self" and name in self.methods:
            return self.inline(self.methods[name], node, env, depth)
        receiver = self.value(owner, env, depth)
        if isinstance(receiver, dict) and name == "get" and not node.keywords:
            key, *default = (self.value(a, env, depth) for a in node.args)
            if isinstance(key, str) and len(default) <= 1:
                return receiver.get(key, default[0] if default else None)
        if isinstance(receiver, Code) and receiver.chain and name in CHAIN_CALLS:
            return Code(f"{receiver.text}.{name}({self.arguments(node, env, depth)})", True)
        raise NotFolded(f"a call of {function}")

    def instance_check(self, node: ast.Call, env: dict[str, Any], depth: int) -> bool:
        value = self.value(node.args[0], env, depth)
        kinds = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
        builtins = {"list": list, "tuple": tuple, "dict": dict, "str": str}
        if isinstance(value, Code) or not all(
            isinstance(k, ast.Name) and k.id in builtins for k in kinds
        ):
            raise NotFolded("isinstance of something not known")
        return isinstance(value, tuple(builtins[k.id] for k in kinds if isinstance(k, ast.Name)))

    def arguments(self, node: ast.Call, env: dict[str, Any], depth: int) -> str:
        """The call's arguments as code, each value known or a name; `**d` of a known dict
        spread as keywords."""
        parts = [_code(self.value(a, env, depth)) for a in node.args]
        for keyword in node.keywords:
            value = self.value(keyword.value, env, depth)
            if keyword.arg is not None:
                parts.append(f"{keyword.arg}={_code(value)}")
            elif isinstance(value, dict):
                parts += [f"{k}={_code(v)}" for k, v in value.items() if k.isidentifier()]
                if not all(k.isidentifier() for k in value):
                    raise NotFolded("a keyword that is no name")
            else:
                raise NotFolded("**keywords not known")
        return ", ".join(parts)

    def inline(
        self, function: ast.FunctionDef, node: ast.Call, env: dict[str, Any], depth: int
    ) -> Any:
        """The value the class's method `function` returns for this call's arguments."""
        if depth >= MAX_DEPTH or function.decorator_list or function.args.posonlyargs:
            raise NotFolded("a call too deep or of a decorated method")
        self.used.add(function.name)
        given = [self.value(a, env, depth) for a in node.args]
        keywords: dict[str, Any] = {}
        for keyword in node.keywords:
            value = self.value(keyword.value, env, depth)
            if keyword.arg is not None:
                keywords[keyword.arg] = value
            elif isinstance(value, dict):
                keywords.update(value)
            else:
                raise NotFolded("**keywords not known")
        return self.body(function.body, _bound(function, given, keywords), depth + 1)


def _bound(function: ast.FunctionDef, given: list[Any], keywords: dict[str, Any]) -> dict[str, Any]:
    """The method's parameters bound as Python binds them (defaults must be literals)."""
    arguments = function.args
    positional = [a.arg for a in arguments.args][1:]
    if len(given) > len(positional) and arguments.vararg is None:
        raise NotFolded("too many arguments")
    env: dict[str, Any] = dict(zip(positional, given, strict=False))
    first_default = len(positional) - len(arguments.defaults)
    defaults = dict(zip(positional[first_default:], arguments.defaults, strict=True))
    keyword_only = [a.arg for a in arguments.kwonlyargs]
    named = [*positional, *keyword_only]
    kw_defaults = dict(zip(keyword_only, arguments.kw_defaults, strict=True))
    rest: dict[str, Any] = {}
    for key, value in keywords.items():
        if key in env:
            raise NotFolded("an argument given twice")
        if key in named:
            env[key] = value
        else:
            rest[key] = value
    if rest and arguments.kwarg is None:
        raise NotFolded("an unknown keyword")
    for name in named:
        if name in env:
            continue
        default = defaults.get(name) or kw_defaults.get(name)
        if default is None:
            raise NotFolded(f"argument {name} missing")
        try:
            env[name] = ast.literal_eval(default)
        except (ValueError, TypeError, SyntaxError):
            raise NotFolded(f"default of {name} not a literal") from None
    if arguments.kwarg is not None:
        env[arguments.kwarg.arg] = rest
    return env


def _is_q(value: Any) -> bool:
    return isinstance(value, Code) and not value.chain and value.text.startswith("Q(")


def _code(value: Any) -> str:
    if isinstance(value, Named):
        if not value.literal:
            raise NotFolded(f"{value.name}: a translation, no literal")
        value = value.value
    if isinstance(value, Code):
        return f"({value.text})" if " | " in value.text else value.text
    if value is None or isinstance(value, bool | int | float | str):
        return repr(value)
    if isinstance(value, tuple) and all(
        v is None or isinstance(v, bool | int | float | str) for v in value
    ):
        return repr(value)
    raise NotFolded("a value that is no code")
