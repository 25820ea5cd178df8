"""The dashboard end to end in headless Chromium against a real front: an operator logs in,
reads the routes table, flips a route to new and sees the front's answers change, then rolls
it back from the dashboard."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from proxy.admin_tokens import token_hash
from proxy.store import RouteKey, open_store
from tests.support.browser import headless_chromium
from tests.support.servers import running_front

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

OPERATOR = "stgl_operator-token-of-the-dashboard-test"
VIEWER = "stgl_viewer-token-of-the-dashboard-test"
CONFIG = """
[legacy]
app = "tests.unit.proxy.apps:flask_app"
threads = 4

[migrated]
app = "tests.unit.proxy.apps:migrated_app"

[[routes]]
path = "/api/items"
methods = ["GET"]
mode = "legacy"

[[routes]]
path = "/api/items/{{item_id:int}}"
methods = ["GET"]
mode = "new"

[store]
url = "sqlite:///{store}"
poll_interval = 0.1

[[admin.tokens]]
name = "ana"
role = "operator"
sha256 = "{sha256}"

[[admin.tokens]]
name = "vi"
role = "viewer"
sha256 = "{viewer_sha256}"
"""
ITEMS = RouteKey.of("/api/items", ["GET"])
DEADLINE = 30.0
NO_FIGURE = "\N{EN DASH}"  # what the dashboard shows for a figure it does not have


def wait_for(what: str, check: Callable[[], Any]) -> Any:
    """`check()`'s first truthy value, tried until a generous deadline."""
    deadline = time.monotonic() + DEADLINE
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what} after {DEADLINE} s")
        time.sleep(0.1)


@pytest.fixture
def front(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    store = tmp_path / "state.db"
    config = tmp_path / "strangler.toml"
    config.write_text(
        CONFIG.format(store=store, sha256=token_hash(OPERATOR), viewer_sha256=token_hash(VIEWER))
    )
    with running_front(config) as url:
        yield url, store


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    with headless_chromium(tmp_path / "chromium-profile") as driver:
        yield driver


def row_of(driver: WebDriver, route: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, f'#routes tr[data-route="{route}"]')


def cell(driver: WebDriver, route: str, name: str) -> str:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By

    try:
        return str(row_of(driver, route).find_element(By.CSS_SELECTOR, f"td.{name}").text)
    except (NoSuchElementException, StaleElementReferenceException):  # redrawn meanwhile
        return ""


def legend(driver: WebDriver) -> list[str]:
    from selenium.webdriver.common.by import By

    return [text.text for text in driver.find_elements(By.CSS_SELECTOR, "#progress text.legend")]


def answered_by(url: str) -> str:
    return str(httpx.get(url + "/api/items").json()["side"])


def log_in(driver: WebDriver, url: str, token: str = OPERATOR) -> None:
    from selenium.webdriver.common.by import By

    driver.get(url + "/_strangler/")
    wait_for("the login page", lambda: driver.current_url.endswith("/_strangler/login"))
    driver.find_element(By.ID, "token").send_keys(token)
    driver.find_element(By.ID, "sign-in").click()
    wait_for("the routes table", lambda: driver.find_elements(By.CSS_SELECTOR, "#routes tbody tr"))


def test_an_operator_logs_in_reads_the_table_and_flips_a_route_that_traffic_follows(
    front: tuple[str, Path], browser: WebDriver
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    url, store_path = front
    assert answered_by(url) == "legacy"

    log_in(browser, url)

    assert wait_for("ana's name", lambda: browser.find_element(By.ID, "who").text) == (
        "ana (operator)"
    )
    routes = [row.get_attribute("data-route") for row in browser.find_elements(
        By.CSS_SELECTOR, "#routes tbody tr")]  # fmt: skip
    assert routes == ["GET /api/items", "GET /api/items/{item_id:int}"]
    assert cell(browser, "GET /api/items", "mode") == "legacy"
    assert cell(browser, "GET /api/items/{item_id:int}", "mode") == "new"
    wait_for("legacy's request rate", lambda: cell(browser, "GET /api/items", "req-rate") not in (
        "", NO_FIGURE, "0.00"))  # fmt: skip
    assert browser.find_elements(By.CSS_SELECTOR, "#progress svg polygon.band")
    assert browser.find_element(By.ID, "no-differences").is_displayed()

    Select(row_of(browser, "GET /api/items").find_element(By.CSS_SELECTOR, "select.flip-mode"))\
        .select_by_value("new")  # fmt: skip
    row_of(browser, "GET /api/items").find_element(By.CSS_SELECTOR, "button.flip").click()

    wait_for("the table to show new", lambda: cell(browser, "GET /api/items", "mode") == "new")
    with open_store(f"sqlite:///{store_path}") as store:
        state = store.read(ITEMS)
        assert state is not None and (state.mode, state.updated_by) == ("new", "ana@admin-api")
    wait_for("the front to answer /api/items from the new side", lambda: answered_by(url) == "new")
    wait_for("the progress chart to count two new routes", lambda: "new 2" in legend(browser))

    row_of(browser, "GET /api/items").find_element(By.CSS_SELECTOR, "button.rollback").click()

    wait_for(
        "the table to show legacy", lambda: cell(browser, "GET /api/items", "mode") == "legacy"
    )
    wait_for("the front to answer from legacy again", lambda: answered_by(url) == "legacy")
    audit = browser.find_elements(By.CSS_SELECTOR, "#audit tbody tr")
    assert len(audit) == 2
    assert browser.find_element(By.ID, "error").get_attribute("hidden") is not None


def test_a_viewer_reads_the_table_but_gets_no_buttons_to_change_it(
    front: tuple[str, Path], browser: WebDriver
) -> None:
    from selenium.webdriver.common.by import By

    url, _ = front

    log_in(browser, url, VIEWER)

    assert wait_for("vi's name", lambda: browser.find_element(By.ID, "who").text) == "vi (viewer)"
    assert cell(browser, "GET /api/items", "mode") == "legacy"
    assert browser.find_elements(By.CSS_SELECTOR, "button.flip") == []
    assert browser.find_elements(By.CSS_SELECTOR, "button.rollback") == []


def test_an_operator_pauses_and_aborts_a_route_s_plan_from_the_dashboard(
    front: tuple[str, Path], browser: WebDriver
) -> None:
    from selenium.webdriver.common.by import By

    url, store_path = front
    headers = {"Authorization": f"Bearer {OPERATOR}"}
    started = httpx.post(
        url + "/_strangler/api/plan", headers=headers,
        json={"path": "/api/items", "steps": ["shadow:1h", "new"]},
    )  # fmt: skip
    assert started.status_code == 200, started.text
    log_in(browser, url)
    wait_for("the running plan", lambda: "(running)" in cell(browser, "GET /api/items", "plan"))

    row_of(browser, "GET /api/items").find_element(By.CSS_SELECTOR, "button.plan-pause").click()
    wait_for("the paused plan", lambda: "(paused)" in cell(browser, "GET /api/items", "plan"))
    row_of(browser, "GET /api/items").find_element(By.CSS_SELECTOR, "button.plan-abort").click()
    wait_for("the aborted plan", lambda: "(aborted)" in cell(browser, "GET /api/items", "plan"))

    with open_store(f"sqlite:///{store_path}") as store:
        whys = [entry.why for entry in store.audit(route=ITEMS)]
    assert whys == ["plan started", "dashboard", "dashboard"]
