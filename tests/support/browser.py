"""Headless Chromium for end-to-end tests: Debian's `chromium` and `chromium-driver` (installed by
tests/support/system_deps.sh), driven by Selenium through /usr/bin/chromedriver. Without them the
test skips, unless STRANGLER_REQUIRE_SERVICES=1, where it fails."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from tests.support.services import unavailable

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

CHROMEDRIVER = Path(os.environ.get("STRANGLER_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"))
CHROMIUM = Path(os.environ.get("STRANGLER_TEST_CHROMIUM", "/usr/bin/chromium"))


@contextmanager
def headless_chromium(profile: Path) -> Iterator[WebDriver]:
    """A fresh headless Chromium (its own profile in `profile`), quit on exit."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        unavailable("selenium (pip install -e '.[dev]')")
    for binary in (CHROMEDRIVER, CHROMIUM):
        if not binary.exists() and shutil.which(binary.name) is None:
            unavailable(f"{binary} (tests/support/system_deps.sh installs it)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1400,1000",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
