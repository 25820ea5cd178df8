"""flaskr, the Flask tutorial app from the flask sdist, served through the strangler front.

`legacy`: flaskr itself, every route legacy. `new`: the codemod's output of flaskr, unedited,
answering every flaskr route in `new` mode. Both start from flaskr's own schema and its tests'
data (user `test`/`test`, post 1 "test title" of 2018-01-01).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from importlib.metadata import version
from pathlib import Path

from tests.support import corpus
from tests.support.servers import venv_command

TUTORIAL = Path("examples/tutorial")

# Every flaskr route, as the front spells paths; HEAD and OPTIONS stay legacy.
FLASKR_ROUTES = (
    ("/", ("GET",)),
    ("/hello", ("GET",)),
    ("/auth/register", ("GET", "POST")),
    ("/auth/login", ("GET", "POST")),
    ("/auth/logout", ("GET",)),
    ("/create", ("GET", "POST")),
    ("/{id:int}/update", ("GET", "POST")),
    ("/{id:int}/delete", ("POST",)),
)


def flask_requirement() -> str:
    return f"flask=={version('flask')}"


def copy_flaskr(site: Path) -> Path:
    """flaskr (from the sdist of the installed Flask) under `site`, with its database seeded as
    its own tests seed it; the folder to put on PYTHONPATH."""
    sdist = corpus.fetch_sdist_or_skip(flask_requirement())
    tutorial = sdist / TUTORIAL
    shutil.copytree(tutorial / "flaskr", site / "flaskr")
    instance = site / "instance"  # where flaskr's create_app puts its database
    instance.mkdir()
    with sqlite3.connect(instance / "flaskr.sqlite") as db:
        db.executescript((tutorial / "flaskr" / "schema.sql").read_text(encoding="utf-8"))
        db.executescript((tutorial / "tests" / "data.sql").read_text(encoding="utf-8"))
    return site


def convert(site: Path) -> subprocess.CompletedProcess[str]:
    """`strangler codemod flask flaskr --out flaskr_new`, run beside flaskr."""
    return subprocess.run(
        [venv_command("strangler"), "codemod", "flask", "flaskr", "--out", "flaskr_new"],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=600,
    )


def write_config(site: Path, side: str) -> Path:
    lines = [
        "[legacy]",
        'app = "flaskr:create_app"',
        "threads = 16",
        "",
        "[health]",
        'legacy_probe_path = "/"',
        "",
    ]
    if side == "new":
        lines += ["[migrated]", 'app = "flaskr_new:create_app"', ""]
        for path, methods in FLASKR_ROUTES:
            quoted = ", ".join(f'"{m}"' for m in methods)
            lines += ["[[routes]]", f'path = "{path}"', f"methods = [{quoted}]", 'mode = "new"', ""]
    config = site / "strangler.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config
