"""Item 6: mistakes an operator makes in strangler.toml get a clear error with its line, or a
warning at start-up and in `strangler routes`, never a traceback or a silent surprise."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from proxy.app import create_app
from proxy.cli import app as cli
from proxy.settings import ConfigError, parse_settings

runner = CliRunner()

BASE = """
[legacy]
app = "tests.unit.proxy.apps:flask_app"

[migrated]
app = "tests.unit.proxy.apps:migrated_app"

[observability]
access_log = false
"""

ITEMS_NEW = """
[[routes]]
path = "/api/items"
methods = ["GET"]
mode = "new"
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = text.splitlines()
    found = [number for number, line in enumerate(lines, start=1) if needle in line]
    return found[occurrence - 1]


def config_error(text: str) -> str:
    with pytest.raises(ConfigError) as error:
        parse_settings(text)
    return str(error.value)


def routes_command(tmp_path: Path, text: str, *args: str) -> tuple[int, str, str]:
    path = tmp_path / "strangler.toml"
    path.write_text(text)
    result = runner.invoke(cli, ["routes", "--config", str(path), *args])
    return result.exit_code, result.stdout, result.stderr


def start_up_warnings(text: str, caplog: pytest.LogCaptureFixture) -> str:
    with caplog.at_level(logging.WARNING):
        create_app(parse_settings(text))
    return "\n".join(record.getMessage() for record in caplog.records)


# -- duplicates and overlaps ----------------------------------------------------------------------


def test_a_duplicate_route_is_an_error_naming_both_lines() -> None:
    text = BASE + ITEMS_NEW + ITEMS_NEW.replace('"new"', '"retired"')

    message = config_error(text)

    assert f":{line_of(text, '[[routes]]', 2)}:" in message
    assert f"line {line_of(text, '[[routes]]', 1)}" in message
    assert "GET /api/items" in message


def test_a_duplicate_spelled_with_another_parameter_name_is_an_error_too() -> None:
    route = '\n[[routes]]\npath = "/api/items/{name}"\nmode = "retired"\n'
    text = BASE + route + route.replace("{name}", "{other}")

    assert "routes[1]" in config_error(text)


OVERLAP = """
[[routes]]
path = "/api/{rest:path}"
mode = "retired"

[[routes]]
path = "/api/items"
mode = "new"
"""


def test_overlapping_routes_are_a_warning_at_start_up_saying_which_wins(
    caplog: pytest.LogCaptureFixture,
) -> None:
    warnings = start_up_warnings(BASE + OVERLAP, caplog)

    assert "/api/{rest:path}" in warnings and "/api/items" in warnings
    assert "routes[1] /api/items wins" in warnings


def test_overlapping_routes_are_a_warning_in_strangler_routes(tmp_path: Path) -> None:
    code, _out, err = routes_command(tmp_path, BASE + OVERLAP)

    assert code == 0
    assert "routes[1] /api/items wins" in err


def test_strangler_routes_says_what_the_server_answers(tmp_path: Path) -> None:
    text = BASE + OVERLAP

    code, out, _err = routes_command(tmp_path, text, "--json")

    rows = {(row["legacy"], tuple(row["methods"])): row for row in json.loads(out)}
    assert code == 0
    assert rows[("/api/old", ("GET",))]["answered_by"] == "front (404, retired)"
    assert rows[("/api/items", ("GET",))]["answered_by"] == "new"
    assert rows[("/api/items/<int:item_id>", ("GET",))]["answered_by"] == "front (404, retired)"


def test_a_probe_path_hiding_a_legacy_route_is_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = BASE + '\n[health]\nlive_path = "/echo"\n'

    warnings = start_up_warnings(text, caplog)
    code, out, err = routes_command(tmp_path, text, "--json")

    assert code == 0
    assert "/echo" in warnings and "live_path" in warnings
    assert "live_path" in err
    answered = {row["legacy"]: row["answered_by"] for row in json.loads(out)}
    assert answered["/echo"].startswith("front")


# -- routes the legacy app does not have ----------------------------------------------------------


def test_a_new_route_no_legacy_rule_matches_is_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    migrated = BASE.replace(
        "tests.unit.proxy.apps:migrated_app", "tests.security.config_apps:extra"
    )
    text = migrated + '\n[[routes]]\npath = "/only-new"\nmode = "new"\n'

    warnings = start_up_warnings(text, caplog)
    _code, _out, err = routes_command(tmp_path, text)

    assert "/only-new" in warnings and "no legacy rule" in warnings
    assert "/only-new" in err and "no legacy rule" in err


def test_a_retired_route_no_legacy_rule_matches_is_an_error(tmp_path: Path) -> None:
    text = BASE + '\n[[routes]]\npath = "/apj/old"\nmode = "retired"\n'

    code, _out, err = routes_command(tmp_path, text)
    with pytest.raises(Exception, match="no legacy rule"):
        create_app(parse_settings(text))

    assert code == 2
    assert "/apj/old" in err and "allow_unmatched" in err


def test_allow_unmatched_accepts_a_retired_route_the_legacy_app_lacks() -> None:
    text = BASE + '\n[[routes]]\npath = "/gone"\nmode = "retired"\nallow_unmatched = true\n'

    create_app(parse_settings(text))


def test_a_route_on_a_front_path_is_an_error() -> None:
    text = BASE + '\n[[routes]]\npath = "/metrics"\nmode = "retired"\n'

    message = config_error(text)

    assert f":{line_of(text, '[[routes]]')}:" in message
    assert "/metrics" in message


# -- values that used to start and then fail, or give a traceback ---------------------------------


@pytest.mark.parametrize(
    ("section", "setting"),
    [
        ("observability", 'request_id_header = "X Request ID"'),
        ("proxy", 'trusted_proxies = ["10.0.0.0/33"]'),
        ("edge", 'rate_limit = "lots per second"'),
    ],
)
def test_a_bad_value_is_a_config_error_with_its_line(section: str, setting: str) -> None:
    header = f"[{section}]\n"
    text = (
        BASE.replace(header, header + setting + "\n")
        if header in BASE
        else BASE + f"\n{header}{setting}\n"
    )

    message = config_error(text)

    assert message.startswith(f"strangler.toml:{line_of(text, setting)}: {section}.")


def test_an_unknown_converter_is_a_config_error_with_its_line() -> None:
    text = BASE + '\n[[routes]]\npath = "/api/items/{item_id:money}"\nmode = "retired"\n'

    message = config_error(text)

    assert f":{line_of(text, 'money')}: routes[0].path" in message
    assert "money" in message


def test_a_bad_route_rate_limit_is_a_config_error_with_its_line() -> None:
    text = BASE + '\n[[routes]]\npath = "/echo"\nrate_limit = "10 every minute"\n'

    message = config_error(text)

    assert f":{line_of(text, 'rate_limit')}: routes[0].rate_limit" in message


def test_serve_refuses_a_port_past_65535(tmp_path: Path) -> None:
    path = tmp_path / "strangler.toml"
    path.write_text(BASE)

    result = runner.invoke(cli, ["serve", "--config", str(path), "--port", "70000"])

    assert result.exit_code == 2
    assert "65535" in result.stderr


# -- environment overrides ------------------------------------------------------------------------


def test_an_override_of_an_unknown_section_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STRANGLER_STATE__REDIS_URL", "redis://localhost:6379/0")

    message = config_error(BASE)

    assert "STRANGLER_STATE__REDIS_URL" in message


def test_an_override_of_an_unknown_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRANGLER_LEGACY__THREDS", "8")

    assert "STRANGLER_LEGACY__THREDS" in config_error(BASE)


def test_an_override_with_a_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRANGLER_LEGACY__THREADS", "many")

    message = config_error(BASE)

    assert "STRANGLER_LEGACY__THREADS" in message
    assert "legacy.threads" in message


def test_variables_that_are_not_overrides_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRANGLER_REQUIRE_SERVICES", "1")

    parse_settings(BASE)


# -- Django regex routes --------------------------------------------------------------------------


def test_a_django_regex_route_prints_as_a_template() -> None:
    from proxy.legacy_routes import django_template

    assert django_template(r"/admin/^(?P<app_label>auth|blog)/$") == "/admin/{app_label}/"
    assert django_template(r"/api/^archive/(?P<year>[0-9]{4})/$") == "/api/archive/{year}/"
    assert django_template("/posts/<int:pk>/") == "/posts/{pk}/"


# -- an unimportable migrated app -----------------------------------------------------------------

BROKEN = BASE.replace("tests.unit.proxy.apps:migrated_app", "tests.security.no_such_module:app")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_an_unimportable_migrated_app_leaves_the_legacy_routes_served(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        front = create_app(parse_settings(BROKEN + ITEMS_NEW))
    transport = httpx.ASGITransport(app=front)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        legacy = await client.get("/echo")
        refused = await client.get("/api/items")
        ready = await client.get("/readyz")

    assert legacy.status_code == 200
    assert refused.status_code == 503
    assert refused.json()["error"] == "migrated_unavailable"
    assert "no_such_module" in ready.json()["checks"]["migrated"]["detail"]
    assert ready.json()["checks"]["migrated"]["ok"] is False
    assert "no_such_module" in caplog.text


def test_strangler_routes_does_not_claim_new_answers_a_route_serve_refuses(tmp_path: Path) -> None:
    text = BASE + '\n[[routes]]\npath = "/echo"\nmode = "new"\n'

    code, out, err = routes_command(tmp_path, text, "--json")

    answered = {row["legacy"]: row["answered_by"] for row in json.loads(out)}
    assert code == 2
    assert answered["/echo"].startswith("nobody")
    assert "no handler" in err
