"""Whether the migrated app can serve a route in a mode: a mode that calls the migrated handler
(`Mode.needs_handler`) needs one for every method of the route. Checked when the front starts
(the file's modes), when it applies a live mode and when a plan moves on, and by
`strangler cutover` and `strangler plan` before they write a change."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping
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


def flip_refusals(
    settings: StranglerSettings, path: str, methods: Iterable[str]
) -> Callable[[str, int], str | None]:
    """`refusal(mode, weight)`: why the front could not serve the route in that mode (the
    migrated app lacks its handler, or cannot be loaded), else None; for `strangler cutover` and
    `strangler plan` to refuse a change before writing it. The migrated app is loaded once, for
    the first mode that needs a handler."""
    methods = tuple(methods)
    check: HandlerCheck | str | None = None  # loaded on first use; a str: why it cannot load

    def refusal(mode_name: str, weight: int) -> str | None:
        nonlocal check
        from proxy.modes import mode_named

        mode = mode_named(mode_name, weight)
        if not mode.needs_handler:
            return None
        if not settings.migrated.app:
            return f"mode is {mode.name} but [migrated] app is not set"
        if check is None:
            check = _load_check(settings.migrated.app)
        if isinstance(check, str):
            return check
        return check.refusal(path, methods, mode)

    return refusal


def _load_check(reference: str) -> HandlerCheck | str:
    from proxy.loading import load_migrated_app

    if os.getcwd() not in sys.path:  # as `strangler serve` imports the apps
        sys.path.insert(0, os.getcwd())
    try:
        return HandlerCheck(load_migrated_app(reference))
    except Exception as error:
        return f"the migrated app cannot be loaded ({error})"
