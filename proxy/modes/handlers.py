"""Whether the migrated app can serve a route in a mode: a mode that calls the migrated handler
(`Mode.needs_handler`) needs one for every method of the route. Checked when the front starts
(the file's modes), when it applies a live mode, and by `strangler cutover` before a flip."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from proxy.migrated_routes import handled, template_key
from proxy.modes.base import Mode


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
