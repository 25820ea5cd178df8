"""Whether the migrated app can serve a route in a mode: a mode that calls the migrated handler
(`Mode.needs_handler`) needs one for every method of the route. Checked when the front starts
(the file's modes), when it applies a live mode, and by `strangler cutover` before a flip."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from proxy.migrated_routes import handled, template_key
from proxy.modes.base import Mode

if TYPE_CHECKING:
    from proxy.settings import StranglerSettings


class HandlerCheck:
    def __init__(self, migrated: Any, *, loaded: bool = True) -> None:
        """`migrated` is the loaded migrated app or router (None: no `[migrated] app`);
        `loaded=False` when it is configured but failed to import (its routes answer 503)."""
        self.migrated = migrated
        self.loaded = loaded
        self.handlers: Mapping[tuple[str, str], str] = (
            handled(migrated) if migrated is not None else {}
        )

    def has_handler(self, path: str, method: str) -> bool:
        key = template_key(path)
        return (key, method) in self.handlers or (
            method == "HEAD" and (key, "GET") in self.handlers
        )

    def refusal(self, path: str, methods: Iterable[str], mode: Mode) -> str | None:
        """Why `mode` cannot serve the route, or None when it can."""
        if not mode.needs_handler or not self.loaded:
            return None
        if self.migrated is None:
            return f"mode is {mode.name} but [migrated] app is not set"
        missing = [method for method in sorted(methods) if not self.has_handler(path, method)]
        if missing:
            return (
                f"mode is {mode.name} but the migrated app has no handler for {', '.join(missing)}"
            )
        return None


def flip_refusal(
    settings: StranglerSettings, path: str, methods: Iterable[str], mode: Mode
) -> str | None:
    """Why the front could not serve the route in `mode` (the migrated app lacks its handler,
    or cannot be loaded), for `strangler cutover` to refuse the flip before writing it."""
    if not mode.needs_handler:
        return None
    if not settings.migrated.app:
        return f"mode is {mode.name} but [migrated] app is not set"
    from proxy.loading import load_migrated_app

    if os.getcwd() not in sys.path:  # as `strangler serve` imports the apps
        sys.path.insert(0, os.getcwd())
    try:
        migrated = load_migrated_app(settings.migrated.app)
    except Exception as error:
        return f"the migrated app cannot be loaded ({error})"
    return HandlerCheck(migrated).refusal(path, methods, mode)
