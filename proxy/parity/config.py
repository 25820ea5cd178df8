"""What parity reads of strangler.toml, through the one model of the file (`proxy.settings`).

`load_config` reads the file exactly as `strangler serve` does: the same validation, the same
messages with the same line numbers, the same `STRANGLER_<SECTION>__<KEY>` overrides, the same
`ConfigError`. Parity then uses the legacy and migrated apps, the routes and the `[parity]`
table (its keys: `proxy.parity.settings`).

Routes are picked by their live mode: the state store's once it holds one for the route (read by
`load_live_config`, proxy/parity/live_modes.py), else the file's. A route whose live mode calls
the migrated handler is compared; a `retired` one is answered 404 by the front: parity skips it
and says so.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from proxy.config_error import ConfigError
from proxy.diff import IgnoreRules
from proxy.parity.settings import (
    ALL_PHASES,
    CurlBases,
    Database,
    LoginRequest,
    ParitySettings,
    Phase,
    RouteParity,
    User,
    template_regex,
)
from proxy.settings import (
    LegacySettings,
    MigratedSettings,
    RouteSettings,
    StranglerSettings,
    load_settings,
    settings_from_data,
)
from proxy.store import RouteKey, RouteState
from proxy.store.live import key_of


class Route(RouteSettings):
    """A `[[routes]]` entry (the front's own model) with what parity asks of it."""

    @classmethod
    def of(cls, entry: RouteSettings) -> Route:
        return cls.model_validate(entry, from_attributes=True)

    def matches_path(self, path: str) -> bool:
        """Whether the front sends this (percent-decoded) path to this route: the same Starlette
        template compilation the front's route table uses, so `{id:int}` does not match `abc`."""
        return template_regex(self.path).match(unquote(path)) is not None

    def rules(self) -> IgnoreRules:
        return IgnoreRules(self.parity.ignore, self.parity.ignore_headers)


@dataclass(frozen=True)
class ParityConfig:
    """The validated settings of one strangler.toml, and the directory its paths are relative
    to."""

    settings: StranglerSettings
    base_dir: Path = Path(".")
    live: Mapping[RouteKey, RouteState] = field(default_factory=dict)
    """The store's state of each route it knows (empty: the file's modes are in force)."""

    @property
    def legacy(self) -> LegacySettings:
        return self.settings.legacy

    @property
    def migrated(self) -> MigratedSettings:
        return self.settings.migrated

    @property
    def parity(self) -> ParitySettings:
        return self.settings.parity

    @property
    def routes(self) -> list[Route]:
        return [Route.of(entry) for entry in self.settings.routes]

    def mode_of(self, route: Route) -> str:
        """The route's live mode: the store's, else the file's."""
        state = self.live.get(key_of(route))
        return state.mode if state is not None else route.mode.value

    def migrated_routes(self) -> list[Route]:
        """Routes whose live mode calls the migrated handler (every mode but `legacy` and
        `retired`), minus those skipped."""
        return [
            route
            for route in self.routes
            if self.mode_of(route) not in ("legacy", "retired") and not route.parity.skip
        ]

    def retired_routes(self) -> list[Route]:
        """Routes the front answers 404 in their live mode: nothing to compare."""
        return [route for route in self.routes if self.mode_of(route) == "retired"]

    def live_mode_notes(self) -> list[str]:
        """One line per route whose live mode (the store's) is not the file's: the one used."""
        notes = []
        for route in self.routes:
            state = self.live.get(key_of(route))
            if state is not None and state.mode != route.mode.value:
                live = f"canary {state.weight}%" if state.mode == "canary" else state.mode
                notes.append(
                    f"{' '.join(route.methods)} {route.path}: live mode {live} used (the state"
                    f" store's, version {state.version}); strangler.toml says {route.mode.value}"
                )
        return notes

    def with_live(self, live: Mapping[RouteKey, RouteState]) -> ParityConfig:
        return replace(self, live=dict(live))

    def resolve(self, path: Path) -> Path:
        return path if path.is_absolute() else self.base_dir / path


def load_config(path: str | os.PathLike[str]) -> ParityConfig:
    """strangler.toml as `strangler serve` reads it; ConfigError with the same messages."""
    file = Path(path)
    return ParityConfig(load_settings(file), base_dir=file.resolve().parent)


def load_live_config(path: str | os.PathLike[str]) -> ParityConfig:
    """`load_config`, with each route's live mode from the state store the config names (as
    `strangler status` reads it). Raises StoreUnreachable when that store cannot be reached."""
    from proxy.parity.live_modes import read_live_modes

    config = load_config(path)
    return config.with_live(read_live_modes(config.settings, Path(path)))


def config_from_dict(
    raw: dict[str, Any], *, base_dir: Path, source: str = "config"
) -> ParityConfig:
    """The same validation from already parsed data (tests, the pytest plugin's overrides)."""
    return ParityConfig(settings_from_data(raw, source=source), base_dir=base_dir)


__all__ = [
    "ALL_PHASES",
    "ConfigError",
    "CurlBases",
    "Database",
    "LoginRequest",
    "ParityConfig",
    "ParitySettings",
    "Phase",
    "Route",
    "RouteParity",
    "User",
    "config_from_dict",
    "load_config",
    "load_live_config",
    "template_regex",
]
