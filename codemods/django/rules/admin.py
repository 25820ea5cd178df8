"""The Django admin stays on the legacy side: an `admin.py` registering `ModelAdmin`s becomes a
module that says so, and each registration is reported `manual`.

    @admin.register(Post)
    class PostAdmin(admin.ModelAdmin): ...
->  \"\"\"The Django admin of this app stays on the legacy side ...\"\"\"   (PostAdmin: manual)

The generated module must not register anything: the admin needs Django's models, and the
legacy project already registered them.
"""

from __future__ import annotations

import textwrap

import libcst as cst

from codemods.engine.findings import Status
from codemods.engine.rule import Rule

ADMIN_MODULE = "admin.py"
REASON = (
    "the Django admin stays on the legacy side (its URLs are served by Django); "
    "port it to an admin of the new side by hand when the legacy project goes"
)
DOCSTRING = (
    "The Django admin of this app stays on the legacy side, served by the legacy project's admin "
    "site: nothing is registered here. Its classes there: {names}."
)


class AdminRule(Rule):
    name = "admin"
    DESCRIPTION = "Django admin modules: kept on the legacy side, reported manual."
    triggers = ("admin",)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        if self.state.module_path[-1:] != (ADMIN_MODULE,) or not _imports_admin(tree):
            return tree
        classes = [s.name.value for s in tree.body if isinstance(s, cst.ClassDef)]
        for name in classes:
            finding = self.findings.add("admin", name)
            finding.status = Status.manual
            finding.reasons.append(REASON)
        names = ", ".join(classes) if classes else "its registrations"
        text = textwrap.fill(DOCSTRING.format(names=names), width=96)
        return cst.parse_module(f'"""{text}"""\n')


def _imports_admin(tree: cst.Module) -> bool:
    code = tree.code
    return "django.contrib" in code and "admin" in code
