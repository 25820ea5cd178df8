"""A `DeleteView` of a model other rows point at by foreign keys with `on_delete=CASCADE` or
`SET_NULL`: its row is deleted as Django's collector deletes it, by the runtime's
`CollectedDeletion` (codemods/runtime/django/collected_deletion.py), which reads the plan from
Django's own model metadata: the rows pointing at it deleted (transitively) or their keys set to
NULL, then the row. Any other `on_delete` (PROTECT, RESTRICT, SET_DEFAULT, SET(...)) or a
many-to-many field whose links the generated models do not delete keeps the view on the ORM, as
model_relations.deletion_problems says.

    class DeleteQueryView(PermissionRequiredMixin, ExplorerContextMixin, DeleteView):
        model = Query        # QueryLog.query: SET_NULL; QueryFavorite.query: CASCADE
->  class DeleteQueryView(CollectedDeletion, PermissionRequiredMixin, ..., DeleteView):
        model = tables.Query
"""

from __future__ import annotations

from codemods.django.model_relations import Relation, Relations, walk_deletion

MIXIN = "CollectedDeletion"
RUNTIME = "codemods.runtime.django.collected_deletion"


def collected_deletion_problems(relations: Relations, model: str) -> list[str]:
    """Why Django's collector, replayed by the runtime, would not delete what Django deletes
    for a row of `model` (empty: it does)."""
    problems: list[str] = []

    def visit(owner: str, name: str, relation: Relation, target: str) -> bool:
        if relation.set_null:
            return False
        if not relation.cascade:
            problems.append(
                f"{owner}.{name} points at {target}: its on_delete is neither CASCADE nor SET_NULL"
            )
            return False
        return True

    walk_deletion(relations, model, problems, visit)
    return problems
