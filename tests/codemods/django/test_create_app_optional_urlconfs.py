"""create_app() starts without a URLconf the legacy project never imports when that URLconf needs
a package that is not installed (an optional feature's dependency, as dj-rest-auth's `mfa` needs
pyotp); the URLconfs the project serves are imported as they are."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from codemods.django.analysis import DjangoAnalysis
from codemods.django.rules.app import create_app_code

SERVED = ("urls.py",)
OPTIONAL = ("mfa", "urls.py")


def analysis() -> DjangoAnalysis:
    return DjangoAnalysis(roots=[SERVED, OPTIONAL], unserved_roots=[OPTIONAL])


def run_create_app(code: str, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """create_app() of `code` in a package whose served URLconf imports and whose mfa.urls needs
    a missing package; the routers it included."""
    included: list[Any] = []
    fastapi = types.SimpleNamespace(include_router=lambda router, **_: included.append(router))
    package = types.ModuleType("gen_optional")
    package.__path__ = []
    urls = types.ModuleType("gen_optional.urls")
    urls.router = "served-router"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "gen_optional", package)
    monkeypatch.setitem(sys.modules, "gen_optional.urls", urls)
    monkeypatch.setitem(sys.modules, "gen_optional.mfa", types.ModuleType("gen_optional.mfa"))
    monkeypatch.setitem(sys.modules, "gen_optional.mfa.urls", None)  # import raises
    runtime = types.ModuleType("codemods.runtime.django.app")
    runtime.install = lambda app, *settings: None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "codemods.runtime.django.app", runtime)
    namespace: dict[str, Any] = {"__name__": "gen_optional", "__package__": "gen_optional"}
    namespace["FastAPI"] = lambda: fastapi
    exec(compile(code, "gen_optional/__init__.py", "exec"), namespace)
    namespace["create_app"]()
    return included


def test_a_urlconf_the_project_does_not_serve_is_imported_under_a_guard() -> None:
    code = create_app_code(analysis())
    assert "    from .urls import router as urls_router\n" in code
    assert "        from .mfa.urls import router as mfa_urls_router\n" in code
    assert "    except ModuleNotFoundError as missing:\n" in code


def test_the_app_starts_without_the_router_whose_imports_are_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run_create_app(create_app_code(analysis()), monkeypatch) == ["served-router"]
