"""The `[store]` table of strangler.toml, and opening the store it names.

    [store]
    url = "sqlite:///var/state.db"        # the default: a file beside the config
    url = "redis://127.0.0.1:6379/0"      # shared by several hosts

A relative SQLite path is relative to the config's directory. Without `[store]`, the state is
kept in `<config name>.state.db` beside the config (`strangler.state.db` for strangler.toml).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from proxy.store.base import StateStore
from proxy.store.model import InvalidState

SCHEMES = ("sqlite:///", "redis://", "rediss://", "unix://")


class StoreSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str | None = Field(
        None, description="sqlite:///path/state.db (default: beside the config) or redis://..."
    )
    poll_interval: float = Field(
        0.25, gt=0, le=1.0, description="seconds between two checks for a change"
    )
    key_prefix: str = Field(
        "strangler:", description="Redis key prefix (several fronts sharing one Redis)"
    )

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith(SCHEMES):
            raise ValueError(
                "the store is SQLite (sqlite:///path/state.db) or Redis (redis://host:port/db)"
            )
        return url


def default_store_url(config_path: Path) -> str:
    path = config_path.resolve()
    return f"sqlite:///{path.with_name(path.stem + '.state.db')}"


def open_store(
    url: str, *, base_dir: Path | None = None, key_prefix: str = "strangler:"
) -> StateStore:
    """The store `url` names. Raises StoreUnreachable when it cannot be opened."""
    if url.startswith("sqlite:///"):
        from proxy.store.sqlite import SqliteStore

        path = Path(url.removeprefix("sqlite:///"))
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        return SqliteStore(path)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from proxy.store.redis import RedisStore

        return RedisStore(url, prefix=key_prefix)
    raise InvalidState(f"{url!r}: not a sqlite:/// or redis:// URL")
