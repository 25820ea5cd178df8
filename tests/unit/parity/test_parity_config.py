from __future__ import annotations

from pathlib import Path

import pytest

from proxy.parity.config import ConfigError, config_from_dict, load_config

BASE = {
    "legacy": {"app": "legacy:app", "threads": 4},
    "migrated": {"app": "new:app"},
    "routes": [
        {"path": "/api/a/{id:int}", "methods": ["get"], "mode": "new",
         "parity": {"ignore": ["$.at"], "ignore_headers": ["ETag"]}},
        {"path": "/api/b", "mode": "legacy"},
    ],
}  # fmt: skip


def test_reads_the_front_tables_and_the_parity_sub_tables(tmp_path: Path) -> None:
    config = config_from_dict(BASE, base_dir=tmp_path)
    [route] = config.migrated_routes()
    assert route.methods == ("GET",)
    assert route.rules().json_paths == ("$.at",)
    assert route.rules().headers == ("etag",)


def test_route_paths_match_like_the_front() -> None:
    [route] = config_from_dict(BASE, base_dir=Path(".")).migrated_routes()
    assert route.matches_path("/api/a/12")
    assert not route.matches_path("/api/a/abc")


def test_bad_ignore_pattern_is_a_config_error() -> None:
    raw = {**BASE, "parity": {"ignore": ["$.items["]}}
    with pytest.raises(ConfigError, match=r"parity\.ignore"):
        config_from_dict(raw, base_dir=Path("."))


def test_unknown_parity_key_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="maxexamples"):
        config_from_dict({**BASE, "parity": {"maxexamples": 3}}, base_dir=Path("."))


def test_database_url_reads_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_DB", "/tmp/shop.db")
    config = config_from_dict(
        {**BASE, "parity": {"database": {"url": "sqlite:///${SHOP_DB}"}}}, base_dir=Path(".")
    )
    assert config.parity.database is not None
    assert config.parity.database.sqlite_path == Path("/tmp/shop.db")


def test_other_databases_are_refused_with_a_reason() -> None:
    with pytest.raises(ConfigError, match="SQLite"):
        config_from_dict(
            {**BASE, "parity": {"database": {"url": "mysql://x/y"}}}, base_dir=Path(".")
        )


def test_unset_variable_is_an_error_only_when_parity_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    config = config_from_dict(
        {**BASE, "parity": {"database": {"url": "${NOT_SET_ANYWHERE}"}}}, base_dir=Path(".")
    )
    assert config.parity.database is not None
    with pytest.raises(ConfigError, match="NOT_SET_ANYWHERE"):
        config.parity.database.resolved_url()


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "strangler.toml"
    bad.write_text("[parity\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)


def test_the_front_settings_accept_the_parity_tables() -> None:
    from proxy.settings import parse_settings

    text = (
        '[legacy]\napp = "a:b"\n[parity]\nmax_examples = 3\n'
        '[[routes]]\npath = "/x"\nmode = "new"\nparity = { ignore = ["$.at"] }\n'
    )
    settings = parse_settings(text)
    assert settings.parity.max_examples == 3
    assert settings.routes[0].parity.ignore == ["$.at"]
