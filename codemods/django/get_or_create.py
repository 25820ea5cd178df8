"""`Model.objects.get_or_create(**lookups, defaults={...})` in the query mapping:

    TopicNotification.objects.get_or_create(user=user, topic=t, defaults={"is_read": True})
->  get_or_create(session, select(tables.TopicNotification).where(
        tables.TopicNotification.user_id == pk_of(user), ...),
        user_id=pk_of(user), topic=t, is_read=True)

The runtime's `get_or_create` reads, creates with the lookups and the defaults, and reads again
on the IntegrityError of a concurrent insert, as Django does. Converted: keyword lookups on
fields (no `__`: Django leaves those out of the created row), a `defaults` dict literal with
string keys, on `Model.objects` unfiltered; anything else stays on Django's ORM."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

if TYPE_CHECKING:
    from codemods.django.querysets import Translation, _Chain

RUNTIME = "codemods.runtime.django.queries"


def _source(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def get_or_create_translation(chain: _Chain, args: list[cst.Arg], session: str) -> Translation:
    from codemods.django.querysets import Translation, Unconvertible

    if chain.wheres or chain.options or chain.order is not None:
        raise Unconvertible("get_or_create() on a filtered queryset")
    lookups: list[cst.Arg] = []
    defaults: list[cst.Arg] = []
    for arg in args:
        keyword = arg.keyword.value if arg.keyword is not None else None
        if keyword is None or arg.star:
            raise Unconvertible("get_or_create() with positional or ** arguments")
        if keyword == "defaults":
            defaults = _defaults(arg.value)
        elif "__" in keyword:
            raise Unconvertible(f"get_or_create({keyword}=...): a lookup, not a field")
        else:
            lookups.append(arg)
    chain.where(lookups, negate=False)
    fields = [chain.create_field(arg) for arg in [*lookups, *defaults]]
    chain.imports.add((RUNTIME, "get_or_create"))
    code = ", ".join([session, chain.statement(False), *fields])
    return Translation(f"get_or_create({code})", chain.imports)


def _defaults(node: cst.BaseExpression) -> list[cst.Arg]:
    from codemods.django.querysets import Unconvertible

    if not isinstance(node, cst.Dict):
        raise Unconvertible("get_or_create(defaults=...): not a dict literal")
    found = []
    for element in node.elements:
        key = element.key if isinstance(element, cst.DictElement) else None
        name = key.evaluated_value if isinstance(key, cst.SimpleString) else None
        if not isinstance(name, str) or not name.isidentifier():
            raise Unconvertible("get_or_create(defaults=...): keys other than field names")
        found.append(cst.Arg(keyword=cst.Name(name), value=element.value))
    return found
