"""A function view whose kept decorators read the user's one-to-one relations (`user.st` in
`@moderator_required`) gets its request from the runtime's `user_relations`, which reads them
through SQLAlchemy on the generated model instead of Django's ORM:

    @django_view
    @moderator_required
    def delete(request: DjangoRequest, pk: int): ...
->  @django_view
    @moderator_required
    def delete(request: Annotated[HttpRequest, Depends(user_relations(st=user_tables.UserProfile.user_id))], pk: int): ...

`user_tables` is the generated twin of the related model's models module, imported relatively
(as `<app>_tables`, beside the queries rule's `tables`). The analysis says which relations a view
needs (`ViewInfo.user_relations`, from decorators.py and user_relations.py)."""  # noqa: E501

from __future__ import annotations

import libcst as cst

from codemods.django.analysis import DjangoAnalysis
from codemods.django.user_relations import UserRelation
from codemods.engine.context import add_import, remove_import
from codemods.engine.rule import Rule

RUNTIME = "codemods.runtime.django.user_relations"


def tables_alias(relation: UserRelation) -> str:
    """The name the related model's generated models module is imported under."""
    owner = [part for part in relation.module[:-1] if part.isidentifier()]
    return f"{owner[-1] if owner else 'user'}_tables"


class UserRelationsRule(Rule):
    name = "user-relations"
    DESCRIPTION = "Kept decorators reading request.user.<relation> -> relations read by SQLAlchemy."
    requires = ("function-views",)
    triggers = ("def ",)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        analysis = self.state.analysis
        if not isinstance(analysis, DjangoAnalysis):
            return tree
        module = self.state.module_path
        needs = {
            name: info.user_relations
            for (owner, name), info in analysis.views.items()
            if owner == module and info.user_relations
        }
        if not needs:
            return tree
        body = []
        for statement in tree.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value in needs:
                relations = [analysis.user_relations[n] for n in needs[statement.name.value]]
                statement = self._given(statement, relations)
            body.append(statement)
        remove_import(self.context, "codemods.runtime.django.request", "DjangoRequest")
        return tree.with_changes(body=body)

    def _given(self, function: cst.FunctionDef, relations: list[UserRelation]) -> cst.FunctionDef:
        params = list(function.params.params)
        if not params:
            return function
        keys = []
        for relation in relations:
            alias = self._import(relation)
            keys.append(f"{relation.name}={alias}.{relation.model}.{relation.key}")
        self.use("typing", "Annotated")
        self.use("fastapi", "Depends")
        self.use("django.http", "HttpRequest")
        self.use(RUNTIME, "user_relations")
        annotation = f"Annotated[HttpRequest, Depends(user_relations({', '.join(keys)}))]"
        params[0] = params[0].with_changes(
            annotation=cst.Annotation(annotation=cst.parse_expression(annotation))
        )
        return function.with_changes(params=function.params.with_changes(params=params))

    def _import(self, relation: UserRelation) -> str:
        """Import the related model's generated models module relatively; its alias."""
        target = list(relation.module)
        here = list(self.state.module_path[:-1])
        common = 0
        while common < min(len(here), len(target) - 1) and here[common] == target[common]:
            common += 1
        level = len(here) - common + 1
        parent = ".".join(target[common:-1])
        alias = tables_alias(relation)
        name = target[-1].removesuffix(".py")
        add_import(self.context, parent, name, asname=alias, relative=level)
        return alias
