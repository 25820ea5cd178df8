"""Published Flask code fetched with pip at test time (never committed), for robustness tests
and the speed benchmark."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

# Wheels whose packages are Flask code: routes on blueprints, forms, models, views.
PACKAGES = {
    "flask-monitoringdashboard==5.1.0": "flask_monitoringdashboard",
    "flask-admin==2.2.1": "flask_admin",
}


class Unavailable(RuntimeError):
    pass


def fetch(requirement: str, cache: Path) -> Path:
    """The unpacked package folder of `requirement`, downloaded into `cache` once."""
    package = PACKAGES[requirement]
    target = cache / requirement.replace("==", "-")
    if (target / package).is_dir():
        return target / package
    downloads = cache / "wheels"
    downloads.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary",
            ":all:",
            "--dest",
            str(downloads),
            requirement,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    name, version = requirement.split("==")
    wheels = [
        w
        for w in downloads.glob("*.whl")
        if w.name.lower().startswith(name.replace("-", "_").lower() + "-" + version)
    ]
    if result.returncode != 0 or not wheels:
        raise Unavailable(f"pip download {requirement} failed: {result.stderr.strip()[-300:]}")
    with zipfile.ZipFile(wheels[0]) as wheel:
        wheel.extractall(target)
    return target / package
