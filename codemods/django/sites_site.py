"""django.contrib.sites' `Site` for the generated models: a relation of SRC to it
(`models.ManyToManyField(Site)`, `models.ForeignKey(Site, ...)`, `"sites.Site"`) gets the class
`SitesSite` on Django's `django_site` table, so `newsletter.site` is a relationship and
`Newsletter.objects.filter(site__id=...)` a statement on it; the current site
(`get_current_site(request)`) is then read on the route's session (runtime `current_site`).

The class is named `SitesSite`, not `Site`: the models module imports Django's `Site` under that
name, and its other code (`Site.objects.get_current()` in a kept method) may still use it. A
project whose models modules share one base (shared_base.py) keeps the key column only.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import libcst as cst

from codemods.django.contrib_models import imports_model, is_model, module_imports_model

SITE_CLASS = "SitesSite"
SITE_TABLE = "django_site"
SITE_NAMES = frozenset({"Site", "sites.Site"})
SITES_MODELS = "django.contrib.sites.models"
SITE_COLUMNS = frozenset({"id", "domain", "name"})  # sites_site_class's
SITES_SITE_IMPORTS: tuple[tuple[str, str], ...] = (
    ("sqlalchemy", "Integer"),
    ("sqlalchemy", "String"),
    ("sqlalchemy.orm", "Mapped"),
    ("sqlalchemy.orm", "mapped_column"),
    ("codemods.runtime.django.rows", "DjangoEquality"),
)


def imports_site(tree: ast.Module) -> bool:
    """The module binds `Site` to django.contrib.sites' (`from django.contrib.sites.models
    import Site`)."""
    return imports_model(tree, SITES_MODELS, "Site")


def module_imports_site(module: cst.Module) -> bool:
    """`imports_site` of a module read with libcst (the models rule's)."""
    return module_imports_model(module, SITES_MODELS, "Site")


def is_sites_site(target: str | None, site_imported: bool, own_classes: set[str]) -> bool:
    """A relation's target written as django.contrib.sites' Site, in a module that does not
    define a `Site` of its own."""
    return is_model(target, "sites.Site", "Site", site_imported, own_classes)


CURRENT_SITE_CALL = "Site.objects.get_current("
SKIPPED_FOLDERS = frozenset({"migrations", "tests"})


@lru_cache(maxsize=8)
def calls_current_site(root: Path | None) -> bool:
    """A module of SRC (`root`) reads django.contrib.sites' current site with
    `Site.objects.get_current()`, which a converted view reads on its session
    (`current_site(session, None, tables.SitesSite)`): the models rule generates the class for
    it though no relation leads to it."""
    if root is None or not root.is_dir():
        return False
    for path in sorted(root.rglob("*.py")):
        if SKIPPED_FOLDERS & set(path.relative_to(root).parts):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if CURRENT_SITE_CALL not in text:
            continue
        try:
            if imports_site(ast.parse(text)):
                return True
        except SyntaxError:
            continue
    return False


def sites_site_class() -> str:
    """The code of django.contrib.sites' Site on django_site: the columns Django's migrations
    create, `str()` its domain as Django's."""
    return (
        f"class {SITE_CLASS}(DjangoEquality, Base):\n"
        '    """django.contrib.sites\' Site, on the table Django created."""\n\n'
        f'    __tablename__ = "{SITE_TABLE}"\n\n'
        "    id: Mapped[int] = mapped_column(Integer, primary_key=True)\n"
        "    domain: Mapped[str] = mapped_column(String(100), unique=True)\n"
        "    name: Mapped[str] = mapped_column(String(50))\n\n"
        "    @property\n"
        "    def pk(self):\n"
        '        """The primary key, as Django\'s `site.pk`."""\n'
        "        return self.id\n\n"
        "    def __str__(self):\n"
        "        return self.domain\n"
    )
