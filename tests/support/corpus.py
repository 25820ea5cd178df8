"""Published applications fetched at test time (never committed), each with its own virtualenv.

An app's sdist is downloaded with `pip download --no-deps --no-binary :all: NAME==VERSION`,
unpacked once, and installed with its own dependencies into a venv of its own, so that importing
it (its `url_map`) and importing what the codemods generate from it are real. Everything lives
in a cache outside the repository, keyed by name, version and Python version:

    $STRANGLER_CORPUS_CACHE, else $XDG_CACHE_HOME/strangler-corpus, else ~/.cache/strangler-corpus

Each step takes a file lock, so pytest-xdist workers (or two checkouts) build an app once.
The framework-specific parts (how to build the app, how to list its routes) are in the `App`
entries and in the probe script; the Django corpus reuses the rest.

A venv sees strangler's own dependencies (fastapi, ...) *after* the app's: its site-packages
holds a `.pth` hook appending the folders named in $STRANGLER_CORPUS_APPEND_PATH, which
`Prepared.env` sets to the repository and the running venv's site-packages. The app's pins win;
what it lacks comes from strangler's venv.

What the generated code and the verification's child import beside the app (FastAPI, Pydantic,
...: `RUNTIME_REQUIREMENTS`) is installed into the app's venv in the same resolution as the app,
as a user adding the runtime to the app's environment gets it: pip then picks versions that agree
with the app's own pins (lemur pins `typing-extensions==4.15.0`; strangler's venv has a Pydantic
and an AnyIO needing 4.16, which would fail to import against the app's copy).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support import services

REPO_ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("corpus_probe.py")
APPEND_PATH_VARIABLE = "STRANGLER_CORPUS_APPEND_PATH"
PTH_HOOK = (
    "import os, sys; sys.path.extend(p for p in "
    f"os.environ.get('{APPEND_PATH_VARIABLE}', '').split(os.pathsep) if p and p not in sys.path)\n"
)
SDIST_ONLY = ("download", "--quiet", "--no-deps", "--no-binary", ":all:")
# What generated FastAPI code and the verification's child import that a Flask or Django app
# does not bring (the app's own Flask, Werkzeug, SQLAlchemy, Jinja stay its own).
RUNTIME_REQUIREMENTS = ("fastapi", "starlette", "pydantic", "httpx", "python-multipart")
RUNTIME_MARKER = ".runtime"
DOWNLOAD_TIMEOUT = 600
INSTALL_TIMEOUT = 1200


class Unavailable(RuntimeError):
    """The app could not be fetched or installed here (no network, no build tools)."""


@dataclass(frozen=True)
class App:
    """One published app of the corpus.

    `source` is the folder the codemod converts, relative to the unpacked sdist; `build` is Python
    code that leaves the WSGI application in a variable named `app` (run by the probe, in the
    app's venv); `extras` are the sdist's own extras to install; `requirements` are extra
    packages installed with it (a dependency it forgot, a pin that makes an old app install on
    today's Python: say why beside them).
    """

    name: str
    version: str
    source: str
    build: str
    extras: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    # How the codemod's verification builds the two sides where it cannot find them itself:
    # `build` written to a file and given as `--app FILE:app` (an extension bound to a host
    # app, an app that needs set-up), and `new_build` (the generated twin of that set-up,
    # `{package}` standing for the generated package) as `--new-app FILE:app`.
    verify_with_build: bool = False
    new_build: str = ""
    # The environment of the codemod's run (verification builds the apps in it): a service the
    # app needs, pointed at a scratch one.
    verify_env: tuple[tuple[str, str], ...] = ()
    # Folders put on PYTHONPATH of every process in the app's venv: the settings and URLconf
    # of a reusable Django app's minimal site, which live in the tests.
    path: tuple[str, ...] = ()
    # A Django app's settings module (`--settings` of the codemod; the probe sets Django up
    # from it); empty for a Flask app.
    settings: str = ""

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"

    @property
    def key(self) -> str:
        return f"{self.name}-{self.version}"

    @property
    def package(self) -> str:
        """The dotted name of the converted folder (`lektor.admin`)."""
        return self.source.replace("/", ".")


def cache_root() -> Path:
    explicit = os.environ.get("STRANGLER_CORPUS_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "strangler-corpus"


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (created), across processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _pip(python: str | Path, args: Sequence[str], timeout: int) -> subprocess.CompletedProcess[str]:
    command = [str(python), "-m", "pip", "--disable-pip-version-check", "--no-input", *args]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as error:
        raise Unavailable(f"pip {args[0]} took more than {timeout}s") from error


def _tail(text: str, lines: int = 12) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def download_sdist(requirement: str, folder: Path) -> Path:
    """The sdist of `requirement` in `folder`, downloaded once."""
    name, _, version = requirement.partition("==")
    with locked(folder / f".{requirement}.lock"):
        found = _find_sdist(folder, name, version)
        if found is not None:
            return found
        result = _pip(
            sys.executable,
            [*SDIST_ONLY, "--dest", str(folder), requirement],
            DOWNLOAD_TIMEOUT,
        )
        found = _find_sdist(folder, name, version)
        if result.returncode != 0 or found is None:
            raise Unavailable(f"pip download {requirement} failed:\n{_tail(result.stderr)}")
        return found


def _find_sdist(folder: Path, name: str, version: str) -> Path | None:
    wanted = f"{_normalized(name)}-{version}"
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        stem = path.name.removesuffix(".tar.gz").removesuffix(".zip")
        if stem != path.name and _normalized(stem) == _normalized(wanted):
            return path
    return None


def _normalized(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def unpack(archive: Path, target: Path) -> Path:
    """The single top folder of `archive`, extracted once under `target`."""
    done = target / ".unpacked"
    with locked(target.with_name(target.name + ".lock")):
        if not done.exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            if archive.name.endswith(".zip"):
                with zipfile.ZipFile(archive) as zipped:
                    zipped.extractall(target)
            else:
                with tarfile.open(archive) as tarred:
                    if hasattr(tarfile, "data_filter"):  # Python 3.11.4+: no links out, no devices
                        tarred.extractall(target, filter="data")
                    else:
                        tarred.extractall(target)
            done.write_text(archive.name)
    tops = [p for p in target.iterdir() if p.is_dir()]
    if len(tops) != 1:
        raise Unavailable(f"{archive.name} does not hold one top folder")
    return tops[0]


def _direct(app: App, sdist: Path) -> str:
    extras = f"[{','.join(app.extras)}]" if app.extras else ""
    return f"{app.name}{extras} @ {sdist.resolve().as_uri()}"


def python_tag() -> str:
    return f"py{sys.version_info.major}.{sys.version_info.minor}"


def build_venv(folder: Path, sdist: Path, app: App) -> Path:
    """A venv at `folder` with `sdist` (and the app's extras) and its dependencies installed;
    its python."""
    python = folder / "bin" / "python"
    done = folder / ".complete"
    with locked(folder.with_name(folder.name + ".lock")):
        if done.exists():
            install_runtime(folder, sdist, app)
            return python
        shutil.rmtree(folder, ignore_errors=True)
        base = getattr(sys, "_base_executable", sys.executable)
        created = subprocess.run(
            [base, "-m", "venv", "--without-pip", str(folder)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if created.returncode != 0:
            raise Unavailable(f"python -m venv failed:\n{_tail(created.stderr)}")
        # The running venv's pip installs into the new venv: no ensurepip, a shared wheel cache.
        result = _pip(
            sys.executable,
            ["--python", str(python), "install", "--quiet", *_with_runtime(app, sdist)],
            INSTALL_TIMEOUT,
        )
        if result.returncode != 0:
            log = folder.with_name(folder.name + ".failed.log")
            log.write_text(result.stdout + result.stderr)
            shutil.rmtree(folder, ignore_errors=True)
            raise Unavailable(
                f"pip install {sdist.name} failed (see {log}):\n{_tail(result.stderr)}"
            )
        site = subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        Path(site, "strangler_corpus_append.pth").write_text(PTH_HOOK)
        (folder / RUNTIME_MARKER).write_text(_runtime_key(app))
        done.write_text(sdist.name)
    return python


def _with_runtime(app: App, sdist: Path) -> list[str]:
    """What one `pip install` resolves together: the app, its extra requirements, the runtime."""
    return [_direct(app, sdist), *app.requirements, *RUNTIME_REQUIREMENTS]


def _runtime_key(app: App) -> str:
    """What the venv's last install resolved beside the app: the runtime's requirements, and
    the app's own extras and requirements (added to an app later, they install then)."""
    added = [f"[{','.join(app.extras)}]"] if app.extras else []
    return " ".join([*RUNTIME_REQUIREMENTS, *added, *app.requirements])


def install_runtime(folder: Path, sdist: Path, app: App) -> None:
    """Add the runtime's requirements to a venv built before they were part of its install (or
    when they changed), resolved together with the app's own pins; the caller holds the lock."""
    marker = folder / RUNTIME_MARKER
    if marker.exists() and marker.read_text() == _runtime_key(app):
        return
    result = _pip(
        sys.executable,
        ["--python", str(folder / "bin" / "python"), "install", "--quiet",
         *_with_runtime(app, sdist)],
        INSTALL_TIMEOUT,
    )  # fmt: skip
    if result.returncode != 0:
        raise Unavailable(f"pip install of the runtime failed:\n{_tail(result.stderr)}")
    marker.write_text(_runtime_key(app))


@dataclass
class Prepared:
    """An app ready to use: its unpacked sdist and its venv's python."""

    app: App
    root: Path  # the unpacked sdist; `root / app.source` is what the codemod converts
    python: Path
    appended: list[str] = field(default_factory=list)

    @property
    def source(self) -> Path:
        return self.root / self.app.source

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment of a process in the app's venv: strangler importable after the app."""
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
        }
        env[APPEND_PATH_VARIABLE] = os.pathsep.join(self.appended)
        if self.app.path:
            env["PYTHONPATH"] = os.pathsep.join(self.app.path)
        env.update(extra or {})
        return env

    def run(
        self,
        args: Sequence[str],
        *,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        timeout: int = 600,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.python), *args],
            cwd=cwd or self.root,
            env=self.env(env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def probe(self, command: str, payload: object, cwd: Path) -> Any:
        """Run the probe script in the app's venv, in `cwd` (an app may write files there at
        start-up); its JSON answer."""
        result = self.run(
            [str(PROBE), command, json.dumps(payload)],
            cwd=cwd,
            env={"PYTHONDONTWRITEBYTECODE": "1"},
        )
        if result.returncode != 0:
            raise RuntimeError(f"probe {command} failed:\n{_tail(result.stderr, 30)}")
        return json.loads(result.stdout.strip().splitlines()[-1])


def prepare(app: App, cache: Path | None = None) -> Prepared:
    """Download, unpack and install `app` (each once per cache); raises Unavailable."""
    cache = cache or cache_root()
    sdist = download_sdist(app.requirement, cache / "sdists")
    root = unpack(sdist, cache / "src" / app.key)
    python = build_venv(cache / "venvs" / f"{app.key}-{python_tag()}", sdist, app)
    appended = [str(REPO_ROOT), sysconfig.get_paths()["purelib"]]
    return Prepared(app, root, python, appended)


def prepare_or_skip(app: App) -> Prepared:
    """`prepare`, skipping the test when the app cannot be had here (failing under
    STRANGLER_REQUIRE_SERVICES=1, as a missing database does)."""
    try:
        return prepare(app)
    except Unavailable as error:
        services.unavailable(f"{app.requirement} ({error})")
        raise AssertionError("unreachable") from error


def fetch_sdist_or_skip(requirement: str) -> Path:
    """The unpacked sdist of `requirement` (no venv): for example code shipped inside one."""
    try:
        sdist = download_sdist(requirement, cache_root() / "sdists")
        return unpack(sdist, cache_root() / "src" / requirement.replace("==", "-"))
    except Unavailable as error:
        services.unavailable(f"{requirement} ({error})")
        raise AssertionError("unreachable") from error


def tree_digest(folder: Path) -> str:
    """A digest of every file's relative path, mode and bytes under `folder`."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            digest.update(f"L {relative} {os.readlink(path)}\n".encode())
        elif path.is_dir():
            digest.update(f"D {relative}\n".encode())
        else:
            digest.update(f"F {relative} {path.stat().st_mode:o}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
