"""Item 0: three ways a single client could take the legacy side down for good."""

from __future__ import annotations

import time
from pathlib import Path

from proxy.wsgi_bridge import build_environ
from tests.security.conftest import config_text, serve
from tests.security.raw import RawConnection, exchange, request_bytes


def test_repeated_same_name_headers_build_the_environ_in_linear_time() -> None:
    # 2.2 MB of one repeated header: joined pairwise this took seconds on the event loop.
    headers = [(b"x-repeated", b"v" * 100)] * 20_000
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "headers": headers,
    }

    started = time.perf_counter()
    environ = build_environ(scope, None)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started

    assert environ["HTTP_X_REPEATED"] == ",".join(["v" * 100] * 20_000)
    assert elapsed < 1.0  # a liveness bound (linear: a few ms; quadratic: seconds)


def test_clients_leaving_streamed_responses_free_their_slots_and_close_the_iterables(
    tmp_path: Path,
) -> None:
    with serve(tmp_path, config_text(threads=1, max_pending=0)) as front:

        def download_and_leave() -> bool:
            with RawConnection(front.port) as connection:
                connection.send(request_bytes("GET", "/endless"))
                if connection.read_head().status != 200:
                    return False
                connection.read_some()
                return True

        for _ in range(3):  # more than threads + max_pending
            assert front.wait_for(download_and_leave)

        assert front.wait_for(lambda: exchange(front.port, "GET", "/echo").status == 200)
        assert front.wait_for(lambda: front.stats()["closed"] == 3)


def test_a_stream_whose_first_chunk_is_late_gets_504_then_frees_its_slot_and_closes(
    tmp_path: Path,
) -> None:
    with serve(tmp_path, config_text(threads=1, max_pending=0, legacy_timeout=0.5)) as front:
        late = exchange(front.port, "GET", "/late?seconds=1")
        assert late.status == 504
        assert late.json()["error"] == "legacy_timeout"

        assert front.wait_for(lambda: front.stats()["closed"] == 1)
        assert exchange(front.port, "GET", "/echo").status == 200
