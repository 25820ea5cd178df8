"""Published Flask code for robustness tests and the speed benchmark: the package folder of an
sdist fetched by the corpus fixture (tests/support/corpus.py), in its cache, never committed."""

from __future__ import annotations

from pathlib import Path

from tests.support import corpus

# sdists whose packages are Flask code: routes on blueprints, forms, models, views.
PACKAGES = {
    "flask-monitoringdashboard==5.1.0": "flask_monitoringdashboard",
    "flask-admin==2.2.1": "flask_admin",
}

Unavailable = corpus.Unavailable


def fetch(requirement: str, cache: Path | None = None) -> Path:
    """The package folder of `requirement`'s unpacked sdist, in the corpus cache shared by every
    fetch (`cache`, the download folder of the earlier wheel fetch, is no longer used)."""
    del cache
    root = corpus.cache_root()
    sdist = corpus.download_sdist(requirement, root / "sdists")
    unpacked = corpus.unpack(sdist, root / "src" / requirement.replace("==", "-"))
    package = unpacked / PACKAGES[requirement]
    if not package.is_dir():
        raise Unavailable(f"{sdist.name} has no folder {PACKAGES[requirement]}")
    return package
