"""A converted view catching Django's `IntegrityError` catches SQLAlchemy's too.

The view's writes go through the session once its queries are translated, and a refused write
(a unique constraint: todo's `unique_together = ("group", "slug")`) raises SQLAlchemy's
`IntegrityError`, which Django's class does not catch:

    except IntegrityError:                             (django.db's)
->  except (IntegrityError, RowIntegrityError):        (sqlalchemy.exc's, imported so)

The runtime's writes roll the session back before raising (instances.py), as Django's
autocommit leaves its connection usable, so the handler's code goes on querying as Django's.
"""

from __future__ import annotations

import libcst as cst

from codemods.engine.nodes import dotted_name

DJANGO_ERRORS = frozenset({"django.db.IntegrityError", "django.db.utils.IntegrityError"})
ROW_ERROR = ("sqlalchemy.exc", "IntegrityError", "RowIntegrityError")  # module, name, as


def django_error_names(imports: dict[str, str]) -> frozenset[str]:
    """The local names bound to Django's IntegrityError (`imports`: local -> dotted name)."""
    return frozenset(local for local, dotted in imports.items() if dotted in DJANGO_ERRORS)


class CatchRowErrors(cst.CSTTransformer):
    """`except <Django's IntegrityError>` -> `except (IntegrityError, RowIntegrityError)`,
    tuples included; `changed` says whether the import is needed."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names
        self.changed = False

    def leave_ExceptHandler(
        self, original_node: cst.ExceptHandler, updated_node: cst.ExceptHandler
    ) -> cst.ExceptHandler:
        caught = updated_node.type
        if caught is None:
            return updated_node
        elements = list(caught.elements) if isinstance(caught, cst.Tuple) else None
        values = [e.value for e in elements] if elements is not None else [caught]
        names = {dotted_name(v) for v in values}
        if not names & self.names or ROW_ERROR[2] in names:
            return updated_node
        self.changed = True
        row = cst.Element(cst.Name(ROW_ERROR[2]))
        kept = [e.with_changes(comma=cst.MaybeSentinel.DEFAULT) for e in elements or []]
        listed = kept or [cst.Element(caught)]
        return updated_node.with_changes(type=cst.Tuple([*listed, row]))
