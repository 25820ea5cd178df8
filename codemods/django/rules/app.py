"""The generated package's `create_app()`: the FastAPI app for the project
`DJANGO_SETTINGS_MODULE` names (else the settings the legacy `manage.py`/`wsgi.py` name), with
the routers of the URLconfs the project serves, as the legacy `wsgi.py` serves Django:

    [migrated]
    app = "DEST_PACKAGE:create_app"

It goes in the package's `__init__.py` (made when SRC has none). The URLconfs are imported after
`install` has set Django up, as their views import the legacy models.
"""

from __future__ import annotations

import libcst as cst

from codemods.django.analysis import DjangoAnalysis, ModulePath, dotted
from codemods.django.plans import fastapi_prefix, prefix_problem
from codemods.django.shared_base import is_shared, models_modules
from codemods.engine.rule import Rule

INIT = ("__init__.py",)


def _router_name(root: ModulePath) -> str:
    return "_".join(dotted(root).split(".")) + "_router"


def _prefix(analysis: DjangoAnalysis, root: ModulePath) -> str:
    """`, prefix="/polls"` for a root the site outside SRC includes under `polls/` (none when
    that prefix cannot be a router's: the root's patterns are `manual` with the reason)."""
    part = analysis.root_prefixes.get(root)
    if part is None or prefix_problem(part) is not None:
        return ""
    prefix = fastapi_prefix(part)
    return f", prefix={prefix!r}" if prefix else ""


def _import(root: ModulePath, unserved: bool) -> list[str]:
    """The import of a root's router; guarded for a root the legacy project never imports (it may
    need a package only an optional feature of the app depends on, as dj-rest-auth's `mfa`
    needs pyotp): the app then starts without that router, as the project serves none of it."""
    line = f"from .{dotted(root)} import router as {_router_name(root)}"
    if not unserved:
        return [f"    {line}"]
    return [
        "    try:  # a URLconf ROOT_URLCONF does not reach: it may need an optional package",
        f"        {line}",
        "    except ModuleNotFoundError as missing:",
        f'        logging.getLogger(__name__).warning("{dotted(root)} not served: %s", missing)',
        f"        {_router_name(root)} = None",
    ]


def _models_imports(analysis: DjangoAnalysis) -> list[str]:
    """With one base shared by several generated models modules, all of them imported: a
    relation's backref (`category.topics`) is on its target once the declaring module is."""
    if analysis.root is None or not is_shared(analysis.models_sources):
        return []
    names = ", ".join(repr(dotted(parts)) for parts in models_modules(analysis.root))
    return [
        "    from importlib import import_module",
        "",
        f"    for models in ({names},):  # the models modules sharing one declarative base",
        '        import_module(f".{models}", __name__)',
    ]


def _include(analysis: DjangoAnalysis, root: ModulePath) -> list[str]:
    line = f"app.include_router({_router_name(root)}{_prefix(analysis, root)})"
    if root not in analysis.unserved_roots:
        return [f"    {line}"]
    return [f"    if {_router_name(root)} is not None:", f"        {line}"]


def create_app_code(analysis: DjangoAnalysis) -> str:
    settings = repr(analysis.settings_module) if analysis.settings_module else ""
    unserved = [root for root in analysis.roots if root in analysis.unserved_roots]
    imports = [line for root in analysis.roots for line in _import(root, root in unserved)]
    includes = [line for root in analysis.roots for line in _include(analysis, root)]
    models = _models_imports(analysis)
    return "\n".join(
        [
            "def create_app() -> FastAPI:",
            '    """The FastAPI app of the Django project DJANGO_SETTINGS_MODULE names (else the',
            '    legacy settings), its routes running on the legacy project through Django."""',
            *(["    import logging", ""] if unserved else []),
            "    from codemods.runtime.django.app import install",
            "",
            "    app = FastAPI()",
            f"    install(app{', ' + settings if settings else ''})",
            *imports,
            *models,
            "",
            *includes,
            "    return app",
            "",
        ]
    )


class AppRule(Rule):
    name = "app"
    DESCRIPTION = "The package's create_app(): FastAPI, the Django runtime, the URLconf routers."
    requires = ("urls",)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        analysis = self.state.analysis
        if not isinstance(analysis, DjangoAnalysis) or not analysis.roots:
            return tree
        module = self.state.module_path
        if module == INIT:
            self.use("fastapi", "FastAPI")
            function = cst.parse_module(create_app_code(analysis)).body
            return tree.with_changes(body=[*tree.body, *function])
        has_init = analysis.root is not None and (analysis.root / "__init__.py").exists()
        if module == analysis.roots[0] and not has_init:
            code = "from fastapi import FastAPI\n\n\n" + create_app_code(analysis)
            self.state.extra_files["__init__.py"] = code
        return tree
