"""`Model.objects.get_or_create(...)` and `.update_or_create(...)` in the query mapping:

    TopicNotification.objects.get_or_create(user=user, topic=t, defaults={"is_read": True})
->  get_or_create(session, select(tables.TopicNotification).where(
        tables.TopicNotification.user_id == pk_of(user), ...),
        user_id=pk_of(user), topic=t, is_read=True)

The runtime's `get_or_create` reads, creates with the lookups and the defaults, and reads again
on the IntegrityError of a concurrent insert, as Django does. Converted: keyword lookups on
fields (no `__`: Django leaves those out of the created row), a `defaults` dict literal with
string keys, on `Model.objects` unfiltered; anything else stays on Django's ORM.

    Authenticator.objects.update_or_create(user=user, type=t, defaults={"data": d})
->  update_or_create(session, select(tables.Authenticator).where(
        tables.Authenticator.user_id == pk_of(user), ...), {"data": d}, user_id=pk_of(user), type=t)

The runtime's `update_or_create` reads the row for update and writes the defaults on it, or
creates it as `get_or_create` does; the same arguments convert (`create_defaults` does not)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

if TYPE_CHECKING:
    from codemods.django.querysets import Translation, _Chain

RUNTIME = "codemods.runtime.django.queries"


def _source(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def get_or_create_translation(chain: _Chain, args: list[cst.Arg], session: str) -> Translation:
    from codemods.django.querysets import Translation

    lookups, defaults = _arguments("get_or_create", chain, args)
    fields = [chain.create_field(arg) for arg in [*lookups, *defaults]]
    chain.imports.add((RUNTIME, "get_or_create"))
    code = ", ".join([session, chain.statement(False), *fields])
    return Translation(f"get_or_create({code})", chain.imports)


def update_or_create_translation(chain: _Chain, args: list[cst.Arg], session: str) -> Translation:
    from codemods.django.querysets import Translation

    lookups, defaults = _arguments("update_or_create", chain, args)
    written = [chain.create_field(arg).split("=", 1) for arg in defaults]
    values = "{" + ", ".join(f'"{name}": {value}' for name, value in written) + "}"
    fields = [chain.create_field(arg) for arg in lookups]
    chain.imports.add((RUNTIME, "update_or_create"))
    code = ", ".join([session, chain.statement(False), values, *fields])
    return Translation(f"update_or_create({code})", chain.imports)


def _arguments(
    method: str, chain: _Chain, args: list[cst.Arg]
) -> tuple[list[cst.Arg], list[cst.Arg]]:
    """The lookups (the chain filtered on them) and the defaults as keyword arguments."""
    from codemods.django.querysets import Unconvertible

    if chain.wheres or chain.options or chain.order is not None:
        raise Unconvertible(f"{method}() on a filtered queryset")
    lookups: list[cst.Arg] = []
    defaults: list[cst.Arg] = []
    for arg in args:
        keyword = arg.keyword.value if arg.keyword is not None else None
        if keyword is None or arg.star:
            raise Unconvertible(f"{method}() with positional or ** arguments")
        if keyword == "defaults":
            defaults = _defaults(method, arg.value)
        elif keyword == "create_defaults":
            raise Unconvertible(f"{method}(create_defaults=...): not in the mapping")
        elif "__" in keyword:
            raise Unconvertible(f"{method}({keyword}=...): a lookup, not a field")
        else:
            lookups.append(arg)
    chain.where(lookups, negate=False)
    return lookups, defaults


def _defaults(method: str, node: cst.BaseExpression) -> list[cst.Arg]:
    from codemods.django.querysets import Unconvertible

    if not isinstance(node, cst.Dict):
        raise Unconvertible(f"{method}(defaults=...): not a dict literal")
    found = []
    for element in node.elements:
        key = element.key if isinstance(element, cst.DictElement) else None
        name = key.evaluated_value if isinstance(key, cst.SimpleString) else None
        if not isinstance(name, str) or not name.isidentifier():
            raise Unconvertible(f"{method}(defaults=...): keys other than field names")
        found.append(cst.Arg(keyword=cst.Name(name), value=element.value))
    return found
