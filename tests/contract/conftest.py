from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from proxy.parity.config import load_config
from proxy.parity.runner import ParityRun
from proxy.parity.session import ParitySession, RunOptions
from tests.contract.planted.database import create_database

PLANTED = Path(__file__).parent / "planted"


@contextmanager
def environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def planted_project(directory: Path) -> Path:
    """A fresh copy of the planted project: its strangler.toml and a seeded planted.db."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(PLANTED / "strangler.toml", directory / "strangler.toml")
    create_database(directory / "planted.db")
    return directory


def run_planted(directory: Path, plants: Sequence[str] = (), **options: object) -> ParityRun:
    """A parity run of the planted legacy app against its twin with `plants` switched on."""
    with environment(
        PLANTED_DB=str(directory / "planted.db"), PLANTED_DIFFERENCES=",".join(plants)
    ):
        session = ParitySession(load_config(directory / "strangler.toml"), RunOptions(**options))  # type: ignore[arg-type]
        return session.run()


@pytest.fixture
def planted_dir(tmp_path: Path) -> Path:
    return planted_project(tmp_path / "planted")
