"""Each check of the codemod's verification, on a tiny legacy app and its (tampered) output."""

from __future__ import annotations

from pathlib import Path

from codemods.engine.findings import Status
from tests.codemods.verify.support import convert, edit, legacy_app, routes, verify


def test_output_that_answers_like_legacy_is_verified_and_converted(tmp_path: Path) -> None:
    legacy = legacy_app(tmp_path)
    result, out = convert(legacy, tmp_path)
    verify(result, out, legacy)
    for finding in routes(result).values():
        assert finding.verified is True
        assert finding.error is None
        assert finding.status == Status.converted
    assert result.verification_seconds is not None


def test_a_module_that_does_not_import_fails_its_routes_with_the_exact_error(
    tmp_path: Path,
) -> None:
    legacy = legacy_app(tmp_path)
    result, out = convert(legacy, tmp_path)
    (out / "views.py").write_text((out / "views.py").read_text() + "\nraise RuntimeError('boom')\n")
    verify(result, out, legacy)
    hello = routes(result)["hello"]
    assert hello.verified is False
    assert hello.status == Status.partial
    assert hello.error is not None
    assert "RuntimeError: boom" in hello.error
    modules = [f for f in result.findings if f.kind == "module" and "views.py" in f.target]
    assert modules[0].verified is False


def test_a_factory_that_fails_fails_every_route(tmp_path: Path) -> None:
    legacy = legacy_app(tmp_path)
    result, out = convert(legacy, tmp_path)
    edit(out / "__init__.py", "    app = FastAPI()", "    app = FastAPI()\n    1 / 0")
    verify(result, out, legacy)
    for finding in routes(result).values():
        assert finding.verified is False
        assert finding.error is not None
        assert "create_app() failed: ZeroDivisionError" in finding.error


def test_a_route_answering_another_status_fails_with_both_statuses(tmp_path: Path) -> None:
    legacy = legacy_app(tmp_path)
    result, out = convert(legacy, tmp_path)
    edit(out / "views.py", 'return jsonify(greeting="hello")', 'raise KeyError("greeting")')
    verify(result, out, legacy)
    hello, item = routes(result)["hello"], routes(result)["item"]
    assert hello.verified is False
    assert hello.error is not None
    assert hello.error.startswith("GET /hello: 200 on legacy, 500 on new (KeyError: 'greeting'")
    assert hello.status == Status.partial
    assert item.verified is True


def test_a_500_on_both_sides_is_a_finding(tmp_path: Path) -> None:
    views = """
    from flask import Blueprint

    bp = Blueprint("views", __name__)


    @bp.route("/broken")
    def broken():
        return {"value": 1 / 0}
    """
    legacy = legacy_app(tmp_path, views)
    result, out = convert(legacy, tmp_path)
    verify(result, out, legacy)
    broken = routes(result)["broken"]
    assert broken.verified is False
    assert broken.error is not None
    assert broken.error.startswith("GET /broken: 500 on both sides (ZeroDivisionError")


def test_a_route_that_could_not_be_called_is_unverified_not_converted(tmp_path: Path) -> None:
    legacy = legacy_app(tmp_path)
    result, out = convert(legacy, tmp_path)
    edit(out / "views.py", 'name="views.hello"', 'name="views.renamed"')
    verify(result, out, legacy)
    hello = routes(result)["hello"]
    assert hello.verified is None
    assert hello.status == Status.unverified
    assert hello.error == "not called: no legacy URL for 'views.renamed'"


def test_an_undefined_name_in_a_route_fails_that_route(tmp_path: Path) -> None:
    legacy = legacy_app(tmp_path)
    result, out = convert(legacy, tmp_path)
    edit(out / "views.py", 'return jsonify(greeting="hello")', "return jsonify(greeting=missing)")
    verify(result, out, legacy)
    hello = routes(result)["hello"]
    assert hello.verified is False
    assert hello.error is not None
    assert "views.py" in hello.error
    assert "undefined name 'missing'" in hello.error
    assert routes(result)["item"].verified is True
