"""Run every check over what a codemod run wrote, in one child process per app."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

import codemods
from codemods.engine.runner import RunResult
from codemods.engine.verify import answers, names, sandbox
from codemods.engine.verify.failures import Failure, Verification
from codemods.engine.verify.routes import RouteCall, route_calls

WRITTEN = ("written", "unchanged", "kept")
TIMEOUT_SECONDS = 300


def generated_files(result: RunResult, dest: Path) -> dict[str, tuple[Path, Path | None]]:
    """Each generated module (relative to DEST) with its file and its legacy twin."""
    found: dict[str, tuple[Path, Path | None]] = {}
    for item in result.files:
        if item.action not in WRITTEN or not item.target.endswith(".py"):
            continue
        path = Path(item.target).resolve()
        try:
            relative = path.relative_to(dest.resolve()).as_posix()
        except ValueError:
            continue
        legacy = Path(item.source) if item.source and item.source != "strangler" else None
        found[relative] = (path, legacy if legacy and legacy.is_file() else None)
    return found


def dotted(package: str, module: str) -> str:
    parts = module.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join([package, *parts])


def verify(
    result: RunResult, dest: Path, legacy_root: Path, legacy_package: str, adapter: str
) -> tuple[Verification, dict[int, RouteCall]]:
    """Check what `result` wrote under `dest`; `adapter` names the legacy side's module."""
    started = time.perf_counter()
    verification = Verification()
    files = generated_files(result, dest)
    sources = {module: path.read_text(encoding="utf-8") for module, (path, _) in files.items()}
    for module, (_, legacy) in files.items():
        legacy_text = legacy.read_text(encoding="utf-8") if legacy else None
        verification.failures += names.check_module(sources[module], legacy_text, module)
    verification.checked_modules = set(files)
    calls = route_calls(result.findings, dest, sources)
    if files:
        run_probe(verification, calls, files, dest, legacy_root, legacy_package, adapter)
    verification.seconds = time.perf_counter() - started
    return verification, calls


def run_probe(
    verification: Verification,
    calls: dict[int, RouteCall],
    files: dict[str, tuple[Path, Path | None]],
    dest: Path,
    legacy_root: Path,
    legacy_package: str,
    adapter: str,
) -> None:
    box = sandbox.create(legacy_root, legacy_package)
    package = dest.resolve().name
    if package == legacy_package.split(".")[0]:  # `--out new/shop` for a legacy `shop`
        package += "_generated"
    new_path = box.folder / "generated"
    new_path.mkdir()
    (new_path / package).symlink_to(dest.resolve(), target_is_directory=True)
    modules = {dotted(package, module): module for module in sorted(files)}
    spec = {
        "sys_path": [
            str(box.legacy_path),
            str(new_path),
            str(Path(codemods.__file__).resolve().parents[1]),
        ],
        "package": package,
        "legacy_package": legacy_package,
        "adapter": adapter,
        "modules": list(modules),
        "state": [str(folder) for folder in box.state],
        "calls": {str(index): asdict(call) for index, call in calls.items()},
    }
    spec_path, out_path = box.folder / "spec.json", box.folder / "result.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    command = [sys.executable, "-m", "codemods.engine.verify.probe", str(spec_path), str(out_path)]
    try:
        done = subprocess.run(
            command,
            cwd=box.folder,
            env=box.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        if not out_path.exists():
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            verification.failures.append(Failure("start-up", f"verification crashed: {last}"))
            return
        seen = json.loads(out_path.read_text(encoding="utf-8"))
    except subprocess.TimeoutExpired:
        message = f"verification timed out after {TIMEOUT_SECONDS} s"
        verification.failures.append(Failure("start-up", message))
        return
    finally:
        sandbox.remove(box)
    for name, error in seen["imports"].items():
        module = modules[name]
        verification.failures.append(Failure("imports", f"{name}: {error}", module=module))
    if seen["startup"]:
        verification.failures.append(Failure("start-up", seen["startup"]))
    answers.record(verification, calls, seen["calls"])


def verify_run(
    result: RunResult, dest: Path, legacy_root: Path, legacy_package: str, adapter: str
) -> Verification:
    """Verify what `result` wrote and put the outcome on its entries (see outcome.py)."""
    from codemods.engine.verify.outcome import apply

    verification, calls = verify(result, dest, legacy_root, legacy_package, adapter)
    files = generated_files(result, dest)
    sources = {module: path.read_text(encoding="utf-8") for module, (path, _) in files.items()}
    result.findings += apply(result.findings, verification, calls, dest, sources)
    result.verification_seconds = verification.seconds
    return verification
