"""The front in-process: who answers, the front's own errors, request ids, metrics, edge options."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import structlog.testing

from proxy.app import StartupError, create_app
from tests.unit.proxy.conftest import BASE_CONFIG, settings_from

pytestmark = pytest.mark.anyio
MakeClient = Callable[..., httpx.AsyncClient]


async def test_a_new_route_is_answered_by_the_migrated_app(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/items")

    assert response.json() == {"side": "new", "items": [1, 2]}


async def test_other_methods_on_a_new_route_path_stay_legacy(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/items", json={"a": 1})

    assert response.status_code == 201
    assert response.json() == {"created": {"a": 1}}


async def test_unmigrated_routes_are_answered_by_the_legacy_app(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/items/x")  # not an int: not the migrated route

    assert response.json() == {"side": "legacy", "rest": "items/x"}


async def test_a_retired_route_gets_404_from_the_front(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/old")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


@pytest.mark.parametrize(
    "path", ["/api%2Fitems", "http://testserver//api/items", "/x/%2e%2e/api/items", "/api/items;a"]
)
async def test_ambiguous_paths_get_400_in_the_front_error_format(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path, headers={"X-Request-ID": "trap-1"})

    assert response.status_code == 400
    assert response.json() == {
        "error": "ambiguous_path",
        "message": response.json()["message"],
        "request_id": "trap-1",
    }


async def test_head_on_a_new_get_route_answers_headers_without_body(
    client: httpx.AsyncClient,
) -> None:
    get = await client.get("/api/items")
    head = await client.head("/api/items")

    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]


async def test_head_and_options_on_legacy_routes_are_the_legacy_app_s(
    client: httpx.AsyncClient,
) -> None:
    head = await client.head("/echo")
    options = await client.options("/upload")

    assert head.status_code == 200 and head.content == b""
    assert options.status_code == 200
    assert "POST" in options.headers["allow"]


async def test_a_request_id_is_generated_echoed_and_passed_to_legacy(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/echo")

    assert len(response.headers["x-request-id"]) == 32
    assert response.json()["request_id"] == response.headers["x-request-id"]


async def test_a_client_request_id_is_kept(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/items/4", headers={"X-Request-ID": "abc-123"})

    assert response.headers["x-request-id"] == "abc-123"
    assert response.json()["request_id"] == "abc-123"


async def test_a_malformed_request_id_is_replaced(client: httpx.AsyncClient) -> None:
    response = await client.get("/echo", headers={"X-Request-ID": "bad id\twith spaces"})

    assert response.headers["x-request-id"] != "bad id\twith spaces"
    assert response.json()["request_id"] == response.headers["x-request-id"]


async def test_a_raising_legacy_handler_gives_the_legacy_app_s_own_500(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/boom")

    assert response.status_code == 500
    assert "Internal Server Error" in response.text
    assert response.headers["content-type"].startswith("text/html")


async def test_redirects_and_url_for_are_the_legacy_app_s(client: httpx.AsyncClient) -> None:
    response = await client.get("/redirect")

    assert response.status_code == 302
    assert response.headers["location"] == "/echo"


async def test_cookies_both_ways(client: httpx.AsyncClient) -> None:
    set_response = await client.get("/set-cookie")
    echo = await client.get("/echo", headers={"Cookie": "a=1; b=2"})

    assert set_response.headers.get_list("set-cookie") == ["a=1; Path=/", "b=2; Path=/"]
    assert echo.json()["cookies"] == {"a": "1", "b": "2"}


async def test_file_uploads_reach_the_legacy_app(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/upload", files={"photo": ("p.png", b"\x89PNG" + b"0" * 200_000)}, data={"title": "t"}
    )

    assert response.json()["files"] == {"photo": 200_004}
    assert response.json()["form"] == {"title": "t"}


async def test_chunked_request_bodies_reach_werkzeug(client: httpx.AsyncClient) -> None:
    async def body() -> Any:
        for _ in range(10):
            yield b"y" * 10_000

    response = await client.post("/upload/chunks", content=body())

    assert response.json()["total"] == 100_000


async def test_metrics_count_each_request_once_per_route_and_side(
    client: httpx.AsyncClient,
) -> None:
    await client.get("/api/items")
    await client.get("/api/items/7")
    await client.get("/echo")
    await client.get("/api/old")

    text = (await client.get("/metrics")).text

    assert (
        'strangler_requests_total{method="GET",route="/api/items",side="new",status="200"} 1.0'
        in text
    )
    item = 'method="GET",route="/api/items/{item_id:int}",side="new",status="200"'
    assert f"strangler_requests_total{{{item}}} 1.0" in text
    assert (
        'strangler_requests_total{method="GET",route="/echo",side="legacy",status="200"} 1.0'
        in text
    )
    assert (
        'strangler_requests_total{method="GET",route="/api/old",side="front",status="404"} 1.0'
        in text
    )


async def test_healthz_is_live(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")

    assert response.json() == {"status": "ok"}


async def test_readyz_checks_the_legacy_app_and_the_database(
    make_client: MakeClient, tmp_path: Any
) -> None:
    database = tmp_path / "ready.db"
    http = make_client(health=f'legacy_probe_path = "/echo"\ndatabase_url = "sqlite:///{database}"')

    response = await http.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["legacy"]["ok"] is True
    assert response.json()["checks"]["database"]["ok"] is True


async def test_readyz_is_503_when_the_legacy_app_fails_or_the_database_is_down(
    make_client: MakeClient,
) -> None:
    http = make_client(
        health='legacy_probe_path = "/boom"\ndatabase_url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/x"'
    )

    response = await http.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["legacy"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is False
    assert "secret" not in response.text


async def test_forwarded_headers_from_untrusted_peers_are_dropped(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/echo", headers={"X-Forwarded-For": "1.2.3.4"})

    assert response.json()["forwarded_for"] is None
    assert response.json()["remote_addr"] == "203.0.113.9"


async def test_forwarded_headers_from_trusted_proxies_set_the_client_address(
    make_client: MakeClient,
) -> None:
    http = make_client(proxy='trusted_proxies = ["203.0.113.0/24"]')

    response = await http.get("/echo", headers={"X-Forwarded-For": "1.2.3.4"})

    assert response.json()["remote_addr"] == "1.2.3.4"


async def test_security_headers_are_off_by_default_and_added_when_enabled(
    client: httpx.AsyncClient, make_client: MakeClient
) -> None:
    enabled = make_client(edge="security_headers = true")

    assert "x-content-type-options" not in (await client.get("/echo")).headers
    assert (await enabled.get("/echo")).headers["x-content-type-options"] == "nosniff"


async def test_trusted_hosts_reject_other_host_headers(make_client: MakeClient) -> None:
    http = make_client(edge='trusted_hosts = ["shop.example.com"]')

    bad = await http.get("/echo")
    good = await http.get("/echo", headers={"Host": "shop.example.com"})

    assert bad.status_code == 400 and bad.json()["error"] == "invalid_host"
    assert good.status_code == 200


async def test_bodies_over_the_size_limit_get_413(make_client: MakeClient) -> None:
    http = make_client(edge="max_body_bytes = 1000")

    declared = await http.post("/upload", content=b"z" * 2000)

    async def chunked() -> Any:
        for _ in range(5):
            yield b"z" * 500

    streamed = await http.post("/upload/chunks", content=chunked())

    assert declared.status_code == 413
    assert streamed.status_code == 413
    assert streamed.json()["error"] == "body_too_large"


async def test_cors_is_off_by_default_and_answers_preflight_when_configured(
    client: httpx.AsyncClient, make_client: MakeClient
) -> None:
    http = make_client(edge='cors_allow_origins = ["https://app.example.com"]')
    preflight = {"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"}

    assert (
        "access-control-allow-origin"
        not in (await client.options("/echo", headers=preflight)).headers
    )
    response = await http.options("/echo", headers=preflight)
    assert response.headers["access-control-allow-origin"] == "https://app.example.com"


async def test_rate_limits_per_client_answer_429_with_retry_after(make_client: MakeClient) -> None:
    http = make_client(edge='rate_limit = "2/minute"')

    statuses = [(await http.get("/echo")).status_code for _ in range(3)]
    limited = await http.get("/echo")

    assert statuses == [200, 200, 429]
    assert limited.json()["error"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1


@pytest.mark.redis
async def test_rate_limits_are_shared_through_redis(
    make_client: MakeClient, redis_url: str
) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    config = BASE_CONFIG.replace(
        'path = "/api/items"\nmethods = ["GET", "HEAD"]\nmode = "new"',
        'path = "/api/items"\nmethods = ["GET", "HEAD"]\nmode = "new"\nrate_limit = "1/minute"',
    )
    storage = f'rate_limit_storage = "{redis_url}"'
    first_worker = make_client(config, edge=storage)
    second_worker = make_client(config, edge=storage)

    assert (await first_worker.get("/api/items")).status_code == 200
    assert (await second_worker.get("/api/items")).status_code == 429
    assert (await second_worker.get("/echo")).status_code == 200  # other routes are not limited


def test_a_new_route_without_a_handler_is_a_startup_error() -> None:
    config = BASE_CONFIG + '\n[[routes]]\npath = "/api/nowhere"\nmode = "new"\n'

    with pytest.raises(
        StartupError,
        match=r"routes\[3\] /api/nowhere: mode is new but the migrated app has no handler for GET",
    ):
        create_app(settings_from(config))


async def test_an_api_router_can_be_the_migrated_app(make_client: MakeClient) -> None:
    http = make_client(
        BASE_CONFIG.replace("apps:migrated_app", "apps:router").split("[[routes]]")[0]
        + '[[routes]]\npath = "/api/items"\nmode = "new"\n'
    )

    assert (await http.get("/api/items")).json() == {"side": "new-router"}


async def test_the_a2wsgi_bridge_is_selectable(make_client: MakeClient) -> None:
    http = make_client(BASE_CONFIG.replace("threads = 4", 'threads = 4\nbridge = "a2wsgi"'))

    async def chunked() -> Any:
        yield b"a" * 1000
        yield b"b" * 1000

    assert (await http.get("/echo")).json()["path"] == "/echo"
    assert (await http.post("/upload/chunks", content=chunked())).json()["total"] == 2000


async def test_trusted_proxies_pass_x_forwarded_host_on_to_the_legacy_app(
    make_client: MakeClient,
) -> None:
    http = make_client(proxy='trusted_proxies = ["203.0.113.9"]')

    response = await http.get(
        "/echo", headers={"X-Forwarded-For": "1.2.3.4", "X-Forwarded-Host": "shop.example.com"}
    )

    assert response.json()["remote_addr"] == "1.2.3.4"
    assert response.json()["forwarded_host"] == "shop.example.com"


def test_the_deprecated_buffer_body_below_is_accepted_with_a_warning() -> None:
    text = BASE_CONFIG.replace("threads = 4", "threads = 4\nbuffer_body_below = 1")

    with structlog.testing.capture_logs() as logs:
        create_app(settings_from(text))

    assert any(log.get("key") == "legacy.buffer_body_below" for log in logs)
