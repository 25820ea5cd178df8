from __future__ import annotations

import pytest

from proxy.settings import ConfigError, RouteMode, load_settings, parse_settings

GOOD = """[legacy]
app = "tests.unit.proxy.apps:flask_app"

[[routes]]
path = "/api/items"
mode = "new"

[[routes]]
path = "/api/old"
methods = ["get", "post"]
mode = "retired"
"""


def test_a_valid_file_gives_typed_settings_with_defaults() -> None:
    settings = parse_settings(GOOD)

    assert settings.legacy.bridge == "fast"
    assert settings.routes[0].methods == ("GET",)
    assert settings.routes[1].methods == ("GET", "POST")
    assert settings.routes[1].mode is RouteMode.RETIRED


def test_a_bad_mode_names_the_key_and_its_line() -> None:
    with pytest.raises(ConfigError) as error:
        parse_settings(GOOD.replace('mode = "retired"', 'mode = "retird"'))

    assert "strangler.toml:11: routes[1].mode" in str(error.value)
    assert "'legacy', 'shadow', 'canary', 'new' or 'retired'" in str(error.value)


def test_an_unknown_key_is_an_error_with_its_line() -> None:
    with pytest.raises(ConfigError, match=r"strangler.toml:2: legacy.ap: unknown key"):
        parse_settings(GOOD.replace("app =", "ap ="))


def test_a_wrong_type_names_the_key_and_line() -> None:
    text = GOOD.replace(
        '[[routes]]\npath = "/api/items"', '[[routes]]\npath = "/api/items"\nmethods = ["FETCH"]', 1
    )

    with pytest.raises(ConfigError, match=r"strangler.toml:6: routes\[0\].methods: .*FETCH"):
        parse_settings(text)


def test_a_missing_legacy_app_is_reported() -> None:
    with pytest.raises(ConfigError, match=r"legacy.app: Field required"):
        parse_settings("[legacy]\nthreads = 2\n")


def test_invalid_toml_is_reported_with_its_position() -> None:
    with pytest.raises(ConfigError, match=r"not valid TOML: .*line 1"):
        parse_settings("[legacy\n")


def test_environment_variables_override_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRANGLER_LEGACY__THREADS", "7")
    monkeypatch.setenv("STRANGLER_LEGACY__LEGACY_TIMEOUT", "2.5")

    settings = parse_settings(GOOD)

    assert settings.legacy.threads == 7
    assert settings.legacy.legacy_timeout == 2.5


def test_the_config_file_comes_from_strangler_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory
) -> None:
    path = tmp_path / "front.toml"  # type: ignore[operator]
    path.write_text(GOOD)
    monkeypatch.setenv("STRANGLER_CONFIG", str(path))

    assert load_settings().routes[0].path == "/api/items"


def test_an_unreadable_config_file_is_a_clear_error(tmp_path: pytest.TempPathFactory) -> None:
    with pytest.raises(ConfigError, match="cannot read the config file"):
        load_settings(tmp_path / "absent.toml")  # type: ignore[operator]


def test_the_configuration_reference_in_docs_ops_is_a_valid_config() -> None:
    import re
    from pathlib import Path

    page = (Path(__file__).resolve().parents[3] / "docs" / "ops.md").read_text()
    block = re.search(r"```toml\n(.*?)```", page, re.DOTALL)

    assert block is not None
    settings = parse_settings(block[1])
    assert settings.routes[0].rate_limit == "50/second"


def test_a_weight_outside_canary_names_the_key_and_its_line() -> None:
    text = '[legacy]\napp = "a:b"\n[[routes]]\npath = "/x"\nmode = "new"\nweight = 10\n'

    with pytest.raises(ConfigError) as error:
        parse_settings(text)

    assert str(error.value) == (
        'strangler.toml:6: routes[0].weight: Value error, a weight is for mode = "canary" only'
    )


def test_a_canary_route_takes_its_weight_from_the_file() -> None:
    text = '[legacy]\napp = "a:b"\n[[routes]]\npath = "/x"\nmode = "canary"\nweight = 10\n'

    assert parse_settings(text).routes[0].weight == 10
