"""docker-compose.yml is valid and points at code that exists (no Docker engine runs here)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from tests.support.servers import REPO_ROOT
from tests.support.services import services_required


def compose_command() -> list[str]:
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    ):
        return [docker, "compose"]
    legacy_cli = shutil.which("docker-compose")
    if legacy_cli:
        return [legacy_cli]
    if services_required():
        pytest.fail("neither `docker compose` nor `docker-compose` is installed", pytrace=False)
    pytest.skip("neither `docker compose` nor `docker-compose` is installed")


@pytest.fixture(scope="module")
def resolved_compose() -> dict:
    result = subprocess.run(
        [*compose_command(), "config"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_config_is_valid_with_the_four_services(resolved_compose: dict) -> None:
    assert set(resolved_compose["services"]) == {"postgres", "redis", "legacy", "front"}


def test_legacy_service_serves_the_flask_shop_wsgi_app_under_gunicorn(
    resolved_compose: dict,
) -> None:
    command = resolved_compose["services"]["legacy"]["command"]
    command = " ".join(command) if isinstance(command, list) else command
    assert "gunicorn" in command
    assert "legacy_examples.flask_shop.wsgi:app" in command
    assert (REPO_ROOT / "legacy_examples" / "flask_shop" / "wsgi.py").exists()


def test_front_waits_for_the_database_and_the_state_store(resolved_compose: dict) -> None:
    depends_on = resolved_compose["services"]["front"]["depends_on"]
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


# The file as written, read without Docker: what the front's container is given.


@pytest.fixture(scope="module")
def front_service() -> dict:
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    return compose["services"]["front"]


def test_every_strangler_variable_of_the_front_is_one_the_settings_read(
    front_service: dict,
) -> None:
    from proxy.settings import unknown_overrides

    variables = {name: str(value) for name, value in front_service["environment"].items()}
    overrides = {name: value for name, value in variables.items() if name.startswith("STRANGLER_")}

    assert unknown_overrides(overrides) == []
    assert "STRANGLER_STATE__REDIS_URL" not in overrides


def test_the_front_keeps_its_live_modes_in_the_redis_service(front_service: dict) -> None:
    assert front_service["environment"]["STRANGLER_STORE__URL"] == "redis://redis:6379/0"


def test_the_fronts_workers_share_one_fresh_metrics_directory(front_service: dict) -> None:
    folder = front_service["environment"]["PROMETHEUS_MULTIPROC_DIR"]
    command = " ".join(front_service["command"])

    assert f"rm -rf {folder} && mkdir -p {folder}" in command
    assert "--workers 2" in command


def test_the_fronts_workers_share_one_canary_key(front_service: dict) -> None:
    assert "STRANGLER_CANARY__COOKIE_SECRET" in front_service["environment"]
