"""The verification's migrated empty database, kept between runs. Migrating the sandbox's empty
SQLite database from scratch is most of a Django child's work before the output exists (0.27 of
0.35 s of CPU on the example blog: Django renders the model states of every migration), and its
outcome is a function of what the key covers:

- Django's version, the database alias, every setting (object addresses left out) and the
  environment (the sandbox's own folder left out);
- the name, size and modification time of every Python file of every installed app (its models,
  its migrations, its `post_migrate` handlers) and of its migrations module when elsewhere, and
  of the settings module.

So a cached file is what `migrate` would write again; a database the sandbox copied from the
project is migrated as before, never cached. The files live beside the warm verification
server's socket (`strangler-verify-warm-<uid>/django-migrated`, a private folder), the newest
`KEPT` of them; `STRANGLER_VERIFY_WARM=0` turns the cache off with the server.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

KEPT = 16
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def migrate(alias: str, sandbox: Path) -> bool:
    """Migrate the database `alias` (a SQLite file of the sandbox `sandbox`); True when its
    empty database came from the cache instead."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from codemods.engine.verify import warm

    target = Path(settings.DATABASES[alias]["NAME"])
    empty = not target.exists() or target.stat().st_size == 0
    cached = None
    if empty and warm.enabled():
        cached = folder() / f"{fingerprint(alias, sandbox)}.sqlite3"
        if cached.is_file():
            connections[alias].close()
            shutil.copyfile(cached, target)
            return True
    call_command("migrate", database=alias, interactive=False, verbosity=0, run_syncdb=True)
    if cached is not None:
        connections[alias].close()
        keep(target, cached)
    return False


def folder() -> Path:
    from codemods.engine.verify.warm import server_folder

    found = server_folder() / "django-migrated"
    found.mkdir(mode=0o700, exist_ok=True)
    return found


def keep(database: Path, cached: Path) -> None:
    """Store a copy of `database` as `cached` (whole or not at all), then drop all but the newest
    `KEPT` files."""
    handle, temporary = tempfile.mkstemp(dir=cached.parent, suffix=".part")
    os.close(handle)
    try:
        shutil.copyfile(database, temporary)
        os.replace(temporary, cached)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    files = sorted(cached.parent.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime_ns)
    for old in files[:-KEPT]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()


def fingerprint(alias: str, sandbox: Path) -> str:
    """The key of the migrated empty database `alias` (see the module's docstring)."""
    import django
    from django.apps import apps
    from django.conf import settings

    digest = hashlib.sha256()
    place = str(sandbox)

    def add(text: str) -> None:
        text = ADDRESS.sub(" at ?", text.replace(place, "<sandbox>"))
        digest.update(text.encode("utf-8", "surrogatepass") + b"\0")

    add(f"{django.__version__}\0{alias}")
    for name in sorted(n for n in dir(settings) if n.isupper()):
        add(f"{name}={getattr(settings, name)!r}")
    for name in sorted(os.environ):
        add(f"${name}={os.environ[name]}")
    module = sys.modules.get(os.environ.get("DJANGO_SETTINGS_MODULE", ""))
    files = [Path(module.__file__)] if module is not None and module.__file__ else []
    for config in apps.get_app_configs():
        add(f"app {config.label} {config.name}")
        files += python_files(Path(config.path))
        files += migration_files(config.label, Path(config.path))
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            add(f"{path} missing")
            continue
        add(f"{path} {stat.st_size} {stat.st_mtime_ns}")
    return digest.hexdigest()[:32]


def migration_files(label: str, app_path: Path) -> list[Path]:
    """The files of the app's migrations module when it lies outside the app's folder
    (`MIGRATION_MODULES`)."""
    from django.db.migrations.loader import MigrationLoader

    name, _ = MigrationLoader.migrations_module(label)
    if not name:
        return []
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return []
    found = []
    for location in (spec and spec.submodule_search_locations) or ():
        where = Path(location)
        if where.is_relative_to(app_path):
            continue
        found += python_files(where)
    return found


def python_files(folder: Path) -> list[Path]:
    """`sorted(folder.rglob("*.py"))` (every entry named `*.py` below `folder`, linked folders
    not entered), walked with `os.walk`: pathlib's glob took a third of the key's CPU."""
    found = []
    for where, folders, files in os.walk(folder):
        found += [os.path.join(where, name) for name in (*folders, *files) if name.endswith(".py")]
    return sorted(map(Path, found))
