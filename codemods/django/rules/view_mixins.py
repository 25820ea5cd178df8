"""Access mixins -> route dependencies: `LoginRequiredMixin`, `PermissionRequiredMixin` and
`UserPassesTestMixin` leave the bases of the class-based views a URLconf serves; the URLs rule
puts their check on the route instead (`access_guard(Mixin, View)`), before the view runs.

    class PostCreateView(LoginRequiredMixin, CreateView): ...
->  class PostCreateView(CreateView): ...
    # urls: dependencies=[CsrfProtected, access_guard(LoginRequiredMixin, views.PostCreateView)]

The guard reads the same class attributes (`login_url`, `permission_required`,
`raise_exception`, `test_func`), so the answer to a refused request is the mixin's own. A class
no served route reaches keeps its mixins.
"""

from __future__ import annotations

import libcst as cst

from codemods.django.analysis import DjangoAnalysis
from codemods.django.class_views import ACCESS_MIXINS, MIXINS_MODULE
from codemods.django.plans import classes_losing_mixins
from codemods.engine.context import remove_import
from codemods.engine.nodes import dotted_name
from codemods.engine.rule import ModuleLevelRule


class ViewMixinsRule(ModuleLevelRule):
    name = "view-mixins"
    DESCRIPTION = "Access mixins of class-based views -> route dependencies (access_guard)."
    triggers = ACCESS_MIXINS
    losing: frozenset[str] = frozenset()  # the module's classes whose mixins leave

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        analysis = self.state.analysis
        if not isinstance(analysis, DjangoAnalysis):
            return tree
        module = self.state.module_path
        self.losing = frozenset(
            name for owner, name in classes_losing_mixins(analysis) if owner == module
        )
        if not self.losing:
            return tree
        return super().transform_module_impl(tree)

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        if updated_node.name.value not in self.losing:
            return updated_node
        kept = []
        for base in updated_node.bases:
            name = (
                (dotted_name(base.value) or "").rsplit(".", 1)[-1] if base.keyword is None else ""
            )
            if name in ACCESS_MIXINS:
                remove_import(self.context, MIXINS_MODULE, name)
                continue
            kept.append(base)
        if kept:
            kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(bases=kept)
