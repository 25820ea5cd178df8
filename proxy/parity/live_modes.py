"""The live modes parity compares by: the state store's, as `strangler status` reads them.

strangler.toml gives each route's initial mode; once the store holds a mode for a route, that
mode is the one the front serves (proxy/store/live.py). Parity reads the store the config names
(`[store] url`, else the SQLite file beside the config) once, before a run. A default SQLite file
that does not exist yet means no route was ever changed: nothing is read and no file is created.
A store that cannot be reached raises `StoreUnreachable` (`strangler parity` exits 3, as
`strangler status` does).
"""

from __future__ import annotations

from pathlib import Path

from proxy.settings import StranglerSettings
from proxy.store import RouteKey, RouteState, default_store_url, open_store

Snapshot = dict[RouteKey, RouteState]


def read_live_modes(settings: StranglerSettings, config_file: Path) -> Snapshot:
    url = settings.store.url or default_store_url(config_file)
    if settings.store.url is None and not Path(url.removeprefix("sqlite:///")).exists():
        return {}
    with open_store(
        url, base_dir=config_file.resolve().parent, key_prefix=settings.store.key_prefix
    ) as store:
        return store.read_all()
