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
