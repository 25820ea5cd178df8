"""Path traps around /_strangler: only the canonical raw path reaches the admin app; other
spellings get 400; the rest goes to the apps untouched."""

from __future__ import annotations

import pytest

from proxy.admin.gate import Reach, is_admin_template, plainly_apps, reach
from proxy.app import StartupError, create_app
from tests.unit.admin.conftest import admin_settings

TRAPS = [
    b"/%5Fstrangler/api/routes",
    b"/%5fstrangler/",
    b"/_str%61ngler/api/routes",
    b"//_strangler/api/routes",
    b"/x/../_strangler/api/routes",
    b"/x/%2e%2e/_strangler/api/routes",
    b"/./_strangler/api/routes",
    b"/_STRANGLER/api/routes",
    b"/_Strangler/",
    b"/_strangler;x/api/routes",
    b"/_strangler%2Fapi/routes",
    b"/_strangler%2fapi%2froutes",
    b"\\_strangler\\api\\routes",
    b"/_strangler/api/../api/routes",
    b"/_strangler/api/%2e%2e/api/routes",
    b"/_strangler/api//routes",
    b"/_strangler/api/routes;x",
    b"/_strangler/api/rout%65s",
]


@pytest.mark.parametrize("raw", [b"/_strangler", b"/_strangler/", b"/_strangler/api/routes"])
def test_the_canonical_prefix_reaches_the_admin_app(raw: bytes) -> None:
    assert reach(raw) is Reach.ADMIN


@pytest.mark.parametrize("raw", TRAPS, ids=lambda raw: raw.decode())
def test_other_spellings_of_the_prefix_are_ambiguous(raw: bytes) -> None:
    assert reach(raw) is Reach.AMBIGUOUS


@pytest.mark.parametrize(
    "raw", [b"/", b"/api/items", b"/_stranglers/x", b"/x/_strangler/api", b"/strangler", b"/a%20b"]
)
def test_every_other_path_goes_to_the_apps(raw: bytes) -> None:
    assert reach(raw) is Reach.APPS


@pytest.mark.parametrize(
    "raw", [b"/_strangler", b"/_strangler/api/routes", *TRAPS, b"/a%20b", b"/x?next=/_strangler"]
)
def test_the_gates_shortcut_never_passes_a_target_that_could_name_the_prefix(raw: bytes) -> None:
    assert not plainly_apps(raw)


@pytest.mark.parametrize("raw", [b"/", b"/api/items", b"/api/posts/?page=2", b"/x/../y"])
def test_the_gates_shortcut_passes_plain_targets_that_reach_the_apps(raw: bytes) -> None:
    assert plainly_apps(raw)
    assert reach(raw.split(b"?", 1)[0]) is Reach.APPS


@pytest.mark.parametrize("path", ["/_strangler/api/x", "/_STRANGLER", "//_strangler/{rest:path}"])
def test_a_route_under_the_admin_prefix_is_refused_at_start(store_url: str, path: str) -> None:
    assert is_admin_template(path)
    route = f'[[routes]]\npath = "{path}"\nmode = "legacy"'
    with pytest.raises(StartupError, match="/_strangler/ is the front's own"):
        create_app(admin_settings(store_url, route))


@pytest.mark.anyio
@pytest.mark.parametrize("raw", [b"/_strangler/api/routes", b"/%5Fstrangler/api/routes"])
async def test_a_websocket_to_the_admin_prefix_is_closed_and_reaches_no_app(
    store_url: str, raw: bytes
) -> None:
    app = create_app(admin_settings(store_url))
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "websocket.connect"}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {"type": "websocket", "path": raw.decode(), "raw_path": raw, "headers": [],
             "query_string": b"", "scheme": "ws", "server": ("testserver", 80)}  # fmt: skip
    await app(scope, receive, send)  # type: ignore[arg-type]

    assert sent == [{"type": "websocket.close", "code": 1008}]


@pytest.mark.anyio
@pytest.mark.parametrize("raw", [b"/%5Fstrangler/api/routes", b"/_strangler;x/api/routes"])
async def test_a_trap_answered_400_has_its_access_log_line_and_its_count_as_the_front_s(
    store_url: str, raw: bytes
) -> None:
    import io
    import json

    import httpx
    from prometheus_client import generate_latest

    from proxy.observability import BatchedLineWriter, RequestLog
    from tests.unit.modes.conftest import front_of

    app = create_app(admin_settings(store_url))
    front = front_of(app)
    lines = io.StringIO()
    writer = BatchedLineWriter(lines)
    front.log = RequestLog(writer)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get(raw.decode(), headers={"X-Request-ID": "trap-2"})
    writer.flush()

    assert response.status_code == 400
    assert response.json()["request_id"] == "trap-2"
    [line] = [json.loads(text) for text in lines.getvalue().splitlines()]
    assert {key: line[key] for key in ("request_id", "path", "route", "side", "status")} == {
        "request_id": "trap-2", "path": raw.decode(), "route": "<unmatched>", "side": "front",
        "status": 400,
    }  # fmt: skip
    metrics = generate_latest(front.metrics.registry).decode()
    assert (
        'strangler_requests_total{method="GET",route="<unmatched>",side="front",status="400"} 1.0'
        in metrics
    )
