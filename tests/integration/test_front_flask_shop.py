"""flask_shop through `strangler serve` (a real uvicorn process): its own suite passes unchanged,
all-legacy and with the migrated routes in `new` mode, and the path traps are closed."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from legacy_examples.flask_shop.testing_server import (
    READY_PATH,
    running_flask_shop,
    seed_with_cli,
    shop_environment,
)
from tests.support.servers import REPO_ROOT, run_pytest, running_front
from tests.unit.proxy.raw_http import raw_request

SUITE = "legacy_examples/flask_shop"
pytestmark = pytest.mark.slow

ALL_LEGACY = """
[legacy]
app = "legacy_examples.flask_shop.wsgi:app"
"""

TRAPS = """
[legacy]
app = "legacy_examples.flask_shop.wsgi:app"

[migrated]
app = "migrated.flask_shop.wsgi:app"

[[routes]]
path = "/api/categories"
mode = "new"

[[routes]]
path = "/api/products/{product_id:int}"
mode = "new"

[[routes]]
path = "/api/products/export.csv"
mode = "retired"
"""


def assert_suite_passed(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert re.search(r"\d+ passed", output)
    assert "skipped" not in output and "failed" not in output


@pytest.fixture(scope="module")
def shop_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    workdir = tmp_path_factory.mktemp("front_shop")
    env = shop_environment(f"sqlite:///{workdir / 'shop.db'}", workdir / "uploads")
    seed_with_cli(env)
    return env


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "strangler.toml"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def trap_front(shop_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    config = config_file(tmp_path_factory.mktemp("traps"), TRAPS)
    with running_front(config, env=shop_env) as url:
        yield url


@pytest.fixture(scope="module")
def shop_alone(shop_env: dict[str, str]) -> Iterator[str]:
    """The same app and database under gunicorn, to compare what legacy says on its own."""
    with running_flask_shop(
        shop_env["DATABASE_URL"], shop_env["UPLOAD_FOLDER"], workers=1, threads=2
    ) as url:
        yield url


def test_the_suite_passes_through_the_front_with_every_route_legacy(
    shop_env: dict[str, str], tmp_path: Path
) -> None:
    with running_front(config_file(tmp_path, ALL_LEGACY), env=shop_env) as url:
        assert_suite_passed(run_pytest([SUITE, "--base-url", url]))


def test_the_suite_passes_with_the_demo_config_s_migrated_routes_in_new_mode(
    shop_env: dict[str, str],
) -> None:
    with running_front(REPO_ROOT / "strangler.toml", env=shop_env) as url:
        assert_suite_passed(run_pytest([SUITE, "--base-url", url]))
        metrics = httpx.get(f"{url}/metrics").text

    # the migrated routes really were answered by FastAPI during the suite
    assert re.search(r'route="/api/categories",side="new",status="200"\} [1-9]', metrics)
    assert re.search(
        r'route="/api/products/\{product_id:int\}",side="new",status="200"\} [1-9]', metrics
    )


def test_migrated_routes_answer_byte_for_byte_like_legacy(trap_front: str, shop_alone: str) -> None:
    # `Vary: Cookie` is compared: both sides read the session on every request (the shop's
    # load_cart hook, ported to the generated app).
    ignored = {"date", "server", "x-response-time-ms", "x-request-id", "connection"}
    for path in ("/api/categories", "/api/products/1", "/api/products/99999"):
        new = httpx.get(trap_front + path)
        legacy = httpx.get(shop_alone + path)
        assert (new.status_code, new.content) == (legacy.status_code, legacy.content), path
        assert {k: v for k, v in new.headers.items() if k not in ignored} == {
            k: v for k, v in legacy.headers.items() if k not in ignored
        }
    metrics = httpx.get(trap_front + "/metrics").text
    assert re.search(
        r'route="/api/products/\{product_id:int\}",side="new",status="404"\} [1-9]', metrics
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api%2Fcategories",
        "/api%2fproducts/1",
        "//api/categories",
        "/api//products/1",
        "/x/../api/categories",
        "/x/%2e%2e/api/categories",
        "/api/./categories",
        "/api/categories;v=1",
        "/api/products/1;v=1",
        "/API/products/1/../1",
    ],
)
def test_non_canonical_spellings_of_migrated_routes_get_400(trap_front: str, path: str) -> None:
    response = raw_request(trap_front, path)

    assert response.status == 400
    body = json.loads(response.body)
    assert body["error"] == "ambiguous_path"
    assert body["request_id"] == response.headers["x-request-id"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/products/export.csv",
        "/api/products/export.csv/",
        "/API/products/export.csv",
        "/api/products/EXPORT.CSV",
        "/api%2Fproducts/export.csv",
        "//api/products/export.csv",
        "/api/x/../products/export.csv",
        "/api/%2e%2e/api/products/export.csv",
        "/api/products/export.csv;x",
        "/api/products/%65xport.csv",
    ],
)
def test_a_retired_route_is_unreachable_by_any_spelling(trap_front: str, path: str) -> None:
    response = raw_request(trap_front, path)

    assert response.status in (400, 404)
    assert json.loads(response.body)["error"] in ("ambiguous_path", "not_found")
    assert b"sku" not in response.body  # never the CSV export


@pytest.mark.parametrize(
    "path",
    [
        "/api/products/1/",
        "/API/products/1",
        "/api/products/01",
        "/api/orders%2F1",
        "//api/orders",
        "/api/orders/../orders",
        "/api/orders;x",
        "/api/orders/",
        "/auth/../auth/login",
    ],
)
def test_other_odd_paths_get_exactly_what_the_legacy_app_alone_says(
    trap_front: str, shop_alone: str, path: str
) -> None:
    through_front = raw_request(trap_front, path)
    alone = raw_request(shop_alone, path)

    assert through_front.status == alone.status
    assert through_front.headers.get("location") == alone.headers.get("location")


def test_nul_bytes_and_over_long_paths_are_refused(trap_front: str) -> None:
    assert raw_request(trap_front, "/api/products%00").status == 400
    assert raw_request(trap_front, "/api/" + "a" * 5000).status == 414


def test_head_and_options_through_the_front(trap_front: str, shop_alone: str) -> None:
    for path in ("/api/products/1", "/api/products", "/"):
        head = raw_request(trap_front, path, "HEAD")
        get = httpx.get(trap_front + path)
        assert head.status == 200 and head.body == b""
        assert head.headers["content-length"] == get.headers["content-length"]
    options = raw_request(trap_front, "/api/products", "OPTIONS")
    alone = raw_request(shop_alone, "/api/products", "OPTIONS")
    allowed = {method.strip() for method in options.headers["allow"].split(",")}
    assert allowed == {method.strip() for method in alone.headers["allow"].split(",")}


def test_readyz_sees_the_legacy_app_and_the_database(trap_front: str) -> None:
    response = httpx.get(trap_front + "/readyz")

    assert response.status_code == 200, response.text
    assert set(response.json()["checks"]) == {"legacy", "database", "legacy_threads"}


def test_ready_path_of_the_legacy_helper_is_served(trap_front: str) -> None:
    assert httpx.get(trap_front + READY_PATH).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/%5Fstrangler/api/routes",
        "/_str%61ngler/api/routes",
        "//_strangler/api/routes",
        "/x/../_strangler/api/routes",
        "/x/%2e%2e/_strangler/api/routes",
        "/_STRANGLER/api/routes",
        "/_strangler;v=1/api/routes",
        "/_strangler%2Fapi/routes",
        "/_strangler/api/../api/routes",
        "/_strangler/api//routes",
    ],
)
def test_non_canonical_spellings_of_the_admin_prefix_get_400(trap_front: str, path: str) -> None:
    response = raw_request(trap_front, path)

    assert response.status == 400
    body = json.loads(response.body)
    assert body["error"] == "ambiguous_path"
    assert body["request_id"] == response.headers["x-request-id"]


@pytest.mark.parametrize("path", ["/_strangler/api/routes", "/_strangler/", "/_strangler/x"])
def test_the_admin_prefix_is_the_front_s_and_never_reaches_the_apps(
    trap_front: str, path: str
) -> None:
    response = raw_request(trap_front, path)

    # the admin app's own answers (no token: 401, or the login page / its 404), never the
    # legacy shop's 404 page or a migrated handler
    assert response.status in (303, 401, 404)
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
