"""Robustness: whole published Flask packages go through the codemod without a crash, every
written file compiles, and every route declared in them appears in the report."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from codemods.engine.runner import is_test_module, resolve_target, run
from codemods.flask.framework import FLASK
from tests.codemods.published import PACKAGES, Unavailable, fetch
from tests.support import services

ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}


def declared_routes(root: Path) -> set[tuple[str, int]]:
    """(file, line of the def) of every function decorated with `x.route("literal", ...)`."""
    found = set()
    for path in root.rglob("*.py"):
        if is_test_module(path.relative_to(root)):
            continue  # the package's own tests are not converted
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Attribute)
                    and decorator.func.attr in ROUTE_DECORATORS
                    and decorator.args
                    and isinstance(decorator.args[0], ast.Constant)
                    and isinstance(decorator.args[0].value, str)
                ):
                    found.add((str(path.resolve()), node.lineno))
                    break
    return found


@pytest.fixture(scope="module")
def corpus_cache(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = getattr(request.config, "cache", None)  # absent under `-p no:cacheprovider`
    if cache is None:
        return tmp_path_factory.mktemp("strangler-codemod-corpus")
    return Path(cache.mkdir("strangler-codemod-corpus"))


@pytest.mark.parametrize("requirement", sorted(PACKAGES))
def test_published_package_converts_without_crash(
    requirement: str, corpus_cache: Path, tmp_path: Path
) -> None:
    try:
        package = fetch(requirement, corpus_cache)
    except Unavailable as error:
        services.unavailable(str(error))
    out = tmp_path / "out"
    result = run(resolve_target(str(package)), out, FLASK.registry.rules, framework=FLASK)
    failures = [r for f in result.findings for r in f.reasons if "failed" in r]
    assert not failures
    written = list(out.rglob("*.py"))
    assert written
    for path in written:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    reported = set()
    for finding in result.findings:
        if finding.kind == "route":
            file, _, line = finding.source.rpartition(":")
            reported.add((str(Path(file).resolve()), int(line)))
    missing = declared_routes(package) - reported
    assert not missing, sorted(missing)[:5]
