"""The generated factory's configuration loads as the legacy Flask app's does: the same files,
environment variables and folders."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from flask import Flask

from codemods.runtime.flask.context import (
    FlaskConfig,
    app_context,
    current_config,
    default_instance_path,
    package_root,
)


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An importable legacy package `tutorial_pkg` with an instance folder beside it."""
    folder = tmp_path / "tutorial_pkg"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "settings.cfg").write_text("FROM_PACKAGE = 'package'\n")
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "config.py").write_text("SECRET_KEY = 'from-instance'\nlower = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield folder
    sys.modules.pop("tutorial_pkg", None)


def test_the_package_s_folders_are_flask_s(package: Path) -> None:
    legacy = Flask("tutorial_pkg")
    assert package_root("tutorial_pkg") == legacy.root_path
    assert default_instance_path("tutorial_pkg") == legacy.instance_path


def test_a_given_instance_path_must_be_absolute_as_in_flask(package: Path) -> None:
    assert default_instance_path("tutorial_pkg", str(package)) == str(package)
    with pytest.raises(ValueError, match="must be absolute"):
        default_instance_path("tutorial_pkg", "relative/instance")


def test_from_pyfile_reads_the_instance_folder_with_instance_relative_config(
    package: Path,
) -> None:
    legacy = Flask("tutorial_pkg", instance_relative_config=True)
    config = FlaskConfig(default_instance_path("tutorial_pkg"))
    for loaded in (legacy.config, config):
        assert loaded.from_pyfile("config.py", silent=True)
        assert not loaded.from_pyfile("missing.py", silent=True)
    assert config == legacy.config
    assert config["SECRET_KEY"] == "from-instance" and "lower" not in config


def test_from_pyfile_reads_the_package_folder_by_default(package: Path) -> None:
    legacy = Flask("tutorial_pkg")
    config = FlaskConfig(package_root("tutorial_pkg"))
    for loaded in (legacy.config, config):
        loaded.from_pyfile("settings.cfg")
    assert config["FROM_PACKAGE"] == legacy.config["FROM_PACKAGE"] == "package"


def test_environment_variables_load_as_in_flask(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TUTORIAL_SETTINGS", str(package / "settings.cfg"))
    monkeypatch.setenv("FLASK_MAIL_PORT", "2525")
    monkeypatch.setenv("FLASK_FEATURE__ENABLED", "true")
    legacy = Flask("tutorial_pkg")
    config = FlaskConfig(package_root("tutorial_pkg"))
    for loaded in (legacy.config, config):
        loaded.from_envvar("TUTORIAL_SETTINGS")
        loaded.from_prefixed_env()
    assert config == legacy.config
    assert config["MAIL_PORT"] == 2525 and config["FROM_PACKAGE"] == "package"


def test_start_up_code_reads_the_config_in_an_app_context() -> None:
    app = FastAPI()
    app.state.config = FlaskConfig(DATABASE="app.sqlite")
    with pytest.raises(RuntimeError, match="outside of application context"):
        current_config()
    with app_context(app):
        assert current_config()["DATABASE"] == "app.sqlite"
