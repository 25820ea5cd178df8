"""Django's `prefetch_related(Prefetch(lookup, queryset=..., to_attr=...))` for the converted
queries (codemods/django/querysets.py writes the calls). Permanent.

    prefetching(
        select(tables.Topic).where(...),
        prefetch(tables.CommentBookmark.topic_id, select(tables.CommentBookmark).where(
            tables.CommentBookmark.user_id == pk_of(user)), "bookmarks"),
    )

is the statement of `Topic.objects.filter(...).prefetch_related(Prefetch("commentbookmark_set",
queryset=CommentBookmark.objects.filter(user=user), to_attr="bookmarks"))`. The prefetches ride
on the statement as an execution option, so whatever runs it (`session.scalars(...)`, a
paginator's page, `get_or_404`, `.first()`) loads the rows, then, as Django does after loading:
one more query per prefetch, the prefetch's own statement restricted to the related rows of the
loaded ones (`topic_id IN (...)`), in that statement's order, and each loaded row given
`to_attr`: the list of its related rows, empty when it has none. `through=("polls",)` prefetches
on the rows an earlier prefetch put in `polls` (Django's `"polls__poll_choices"`). A count or
an EXISTS made from the statement runs no prefetch, as in Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import InstrumentedAttribute, ORMExecuteState, Session

OPTION = "strangler_prefetch"  # the statement's execution option holding its prefetches


@dataclass(frozen=True)
class Prefetch:
    """One `Prefetch(...)`: the related rows' foreign key to the rows it is made on, the
    statement of its queryset, the attribute it fills, the earlier `to_attr`s leading to the
    rows it is made on (none: the loaded rows themselves)."""

    key: InstrumentedAttribute[Any]
    statement: Select[Any]
    to_attr: str
    through: tuple[str, ...] = ()


def prefetch(
    key: InstrumentedAttribute[Any], statement: Select[Any], to_attr: str, through: str = ""
) -> Prefetch:
    """`Prefetch("comment_polls", queryset=..., to_attr="polls")`: `key` is
    `tables.CommentPoll.comment_id`; `through="polls__choices"` for a lookup going through
    earlier prefetches."""
    return Prefetch(key, statement, to_attr, tuple(name for name in through.split("__") if name))


def prefetching(statement: Select[Any], *prefetches: Prefetch) -> Select[Any]:
    """`statement`, whose rows get `prefetches` filled after they are loaded (after any it has)."""
    earlier = statement.get_execution_options().get(OPTION, ())
    return statement.execution_options(**{OPTION: (*earlier, *prefetches)})


@event.listens_for(Session, "do_orm_execute")
def _prefetch_after_load(state: ORMExecuteState) -> Any:
    prefetches: tuple[Prefetch, ...] = state.execution_options.get(OPTION, ())
    if not prefetches or not state.is_select:
        return None
    frozen = state.invoke_statement().freeze()
    rows = _loaded_rows(frozen().all())
    for one in prefetches:
        fill(state.session, rows, one)
    return frozen()


def _loaded_rows(results: Any) -> list[Any]:
    """The model instances of the first column, once each, in the order loaded."""
    seen: set[int] = set()
    rows = []
    for result in results:
        row = result[0]
        if sa_inspect(row, raiseerr=False) is not None and id(row) not in seen:
            seen.add(id(row))
            rows.append(row)
    return rows


def _owners(rows: list[Any], through: tuple[str, ...]) -> list[Any]:
    for name in through:
        seen: set[int] = set()
        reached = []
        for row in rows:
            for item in getattr(row, name, None) or []:
                if id(item) not in seen:
                    seen.add(id(item))
                    reached.append(item)
        rows = reached
    return rows


def fill(session: Session, rows: list[Any], one: Prefetch) -> None:
    """Each of `rows` (or of the rows `one.through` leads to) given `one.to_attr`: its related
    rows of `one.statement`, in that statement's order."""
    owners = _owners(rows, one.through)
    if not owners:
        return
    owner_key = _owner_key(one.key, type(owners[0]))
    keys = [key for key in dict.fromkeys(getattr(o, owner_key) for o in owners) if key is not None]
    found: dict[Any, list[Any]] = {}
    if keys:
        statement = one.statement.where(one.key.in_(keys))
        for row in session.scalars(statement).unique():
            found.setdefault(getattr(row, one.key.key), []).append(row)
    for owner in owners:
        setattr(owner, one.to_attr, list(found.get(getattr(owner, owner_key), [])))


def _owner_key(key: InstrumentedAttribute[Any], owner: type[Any]) -> str:
    """The attribute of the owner's model that `key` holds: the column its foreign key names,
    else (no ForeignKey declared on the column) the primary key, as Django's default."""
    mapper = sa_inspect(owner)
    for foreign in key.property.columns[0].foreign_keys:
        if foreign.column.table is mapper.local_table:
            return str(mapper.get_property_by_column(foreign.column).key)
    return str(mapper.get_property_by_column(mapper.primary_key[0]).key)
