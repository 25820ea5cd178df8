"""Run every check over what a codemod run wrote, in one child process per app."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, fields
from pathlib import Path

import codemods
from codemods.engine.runner import RunResult, is_test_module, resolve_target
from codemods.engine.verify import answers, names, sandbox, warm
from codemods.engine.verify.failures import Failure, Verification
from codemods.engine.verify.libraries import imported_libraries
from codemods.engine.verify.routes import RouteCall, named_route_calls, route_calls

WRITTEN = ("written", "unchanged", "kept")
TIMEOUT_SECONDS = 300


def generated_files(result: RunResult, dest: Path) -> dict[str, tuple[Path, Path | None]]:
    """Each generated module (relative to DEST) with its file and its legacy twin."""
    found: dict[str, tuple[Path, Path | None]] = {}
    root = dest.resolve()
    for item in result.files:
        if item.action not in WRITTEN or not item.target.endswith(".py"):
            continue
        path = Path(item.target).resolve()
        try:
            relative = path.relative_to(root).as_posix()
        except ValueError:
            continue
        legacy = Path(item.source) if item.source and item.source != "strangler" else None
        found[relative] = (path, legacy if legacy and legacy.is_file() else None)
    return found


def read_written(
    result: RunResult, dest: Path
) -> tuple[dict[str, tuple[Path, Path | None]], dict[str, str]]:
    """`generated_files` and the text of each."""
    files = generated_files(result, dest)
    return files, {module: path.read_text(encoding="utf-8") for module, (path, _) in files.items()}


def dotted(package: str, module: str) -> str:
    parts = module.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join([package, *parts])


@dataclass
class Pending:
    """The verification's child process, started before the conversion (see probe.py)."""

    box: sandbox.Sandbox
    process: subprocess.Popen[str] | warm.WarmChild
    legacy_package: str
    out_path: Path
    started: float


def start(
    legacy_root: Path,
    legacy_package: str,
    adapter: str,
    app: str | None = None,
    new_app: str | None = None,
    env: dict[str, str] | None = None,
) -> Pending:
    """Start the child: it imports the frameworks and builds the legacy app meanwhile (`app`:
    where it comes from, as `flask --app` takes it; else the adapter finds it; `new_app`: where
    the generated app comes from, in the same form; `env` adds variables to its environment,
    the framework's `verifier_env`)."""
    started = time.perf_counter()
    box = sandbox.create(legacy_root, legacy_package)
    box.env.update(env or {})
    spec = {
        "sys_path": [str(box.legacy_path), str(Path(codemods.__file__).resolve().parents[1])],
        "legacy_package": legacy_package,
        "legacy_root": str(box.legacy_path.joinpath(*legacy_package.split("."))),
        "adapter": adapter,
        "app": app and sandboxed_spec(app, legacy_root, legacy_package),
        "new_app": new_app and sandboxed_spec(new_app, legacy_root, legacy_package),
        "state": [str(folder) for folder in box.state],
        "sandbox": str(box.folder),
    }
    spec_path, out_path = box.folder / "spec.json", box.folder / "result.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    command = [sys.executable, "-m", "codemods.engine.verify.probe", str(spec_path), str(out_path)]

    def cold() -> subprocess.Popen[str]:
        return subprocess.Popen(
            command,
            cwd=box.folder / "work",
            env=box.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    process: subprocess.Popen[str] | warm.WarmChild
    if warm.enabled():
        request = {
            "spec": str(spec_path),
            "out": str(out_path),
            "env": box.env,
            "cwd": str(box.folder / "work"),
            "stderr": str(box.folder / "stderr.txt"),
            "libraries": imported_libraries(legacy_files(legacy_root), legacy_package),
        }
        process = warm.WarmChild(adapter, request, cold)
    else:
        process = cold()
    return Pending(box, process, legacy_package, out_path, started)


def legacy_files(root: Path) -> list[Path]:
    """The legacy package's modules the codemod converts (as the runner lists them: hidden
    folders such as a `.venv` left out; its own tests left out)."""
    target = resolve_target(str(root))
    return [path for path in target.files if not is_test_module(path.relative_to(target.root))]


def sandboxed_spec(app: str, legacy_root: Path, legacy_package: str) -> str:
    """`app` for the child, whose working folder is the sandbox: a file path made absolute, or
    the dotted name of the module when the file lies in the legacy package (its copy is used)."""
    from codemods.engine.verify.locate import split

    target, name = split(app)
    if not (target.endswith(".py") or "/" in target or "\\" in target):
        return app
    path = Path(target).resolve()
    top = legacy_root.resolve()
    for _ in legacy_package.split(".")[1:]:
        top = top.parent
    try:
        inside = path.relative_to(top).with_suffix("").parts
    except ValueError:
        return f"{path}:{name}" if name else str(path)
    dotted = ".".join(part for part in (top.name, *inside) if part != "__init__")
    return f"{dotted}:{name}" if name else dotted


def cancel(pending: Pending) -> None:
    """Stop the child of a run that has nothing to verify."""
    finished = True
    try:
        pending.process.communicate("", timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        finished = False
        pending.process.kill()
        pending.process.communicate()
    sandbox.remove(pending.box, keep=finished)


def verify(
    result: RunResult,
    dest: Path,
    pending: Pending,
    written: tuple[dict[str, tuple[Path, Path | None]], dict[str, str]] | None = None,
) -> tuple[Verification, dict[int, RouteCall]]:
    """Check what `result` wrote under `dest` with the child `pending`. The child gets the output
    first: it imports and calls while this process checks the names. `written`: the generated
    files and their text, when the caller has read them (`read_written`)."""
    started = time.perf_counter()
    verification = Verification()
    files, sources = written or read_written(result, dest)
    verification.checked_modules = set(files)
    calls = route_calls(result.findings, dest, sources)
    calls.update(named_route_calls(result.findings, dest, calls))
    probe = send_output(calls, files, dest, pending) if files else None
    if probe is None:
        cancel(pending)
    clock = time.perf_counter()
    for module, (_, legacy) in files.items():
        verification.failures += names.check_module(sources[module], legacy, module)
    verification.steps["names"] = time.perf_counter() - clock
    if probe is not None:
        read_probe(verification, calls, probe, pending)
    if isinstance(pending.process, warm.WarmChild):
        verification.child_cpu = pending.process.cpu
    verification.seconds = time.perf_counter() - started
    verification.child_seconds = time.perf_counter() - pending.started
    return verification, calls


@dataclass
class Probe:
    """The child at work on the output, and what it answers with."""

    modules: dict[str, str]  # dotted name -> generated file relative to DEST
    thread: threading.Thread
    stderr: str = ""
    timed_out: bool = False


def as_json(call: RouteCall) -> dict[str, object]:
    """The call's fields, as `dataclasses.asdict` gives them (its fields hold no dataclass) without
    its deep copy: JSON writes tuples as lists all the same."""
    return {field.name: getattr(call, field.name) for field in fields(call)}


def send_output(
    calls: dict[int, RouteCall],
    files: dict[str, tuple[Path, Path | None]],
    dest: Path,
    pending: Pending,
) -> Probe:
    """Hand the child the output to check (it runs meanwhile, see `read_probe`)."""
    box = pending.box
    package = dest.resolve().name
    if package == pending.legacy_package.split(".")[0]:  # `--out new/shop` for a legacy `shop`
        package += "_generated"
    new_path = box.folder / "generated"
    new_path.mkdir()
    (new_path / package).symlink_to(dest.resolve(), target_is_directory=True)
    modules = {dotted(package, module): module for module in sorted(files)}
    twins = {
        name: dotted(pending.legacy_package, module)
        for name, module in modules.items()
        if files[module][1] is not None
    }
    output = json.dumps(
        {
            "sys_path": [str(new_path)],
            "package": package,
            "modules": list(modules),
            "twins": twins,
            "calls": {str(index): as_json(call) for index, call in calls.items()},
        }
    )

    def talk() -> None:
        try:
            probe.stderr = pending.process.communicate(output, timeout=TIMEOUT_SECONDS)[1]
        except subprocess.TimeoutExpired:
            probe.timed_out = True
            pending.process.kill()
            pending.process.communicate()

    probe = Probe(modules, threading.Thread(target=talk, name="strangler-verify", daemon=True))
    probe.thread.start()
    return probe


def read_probe(
    verification: Verification,
    calls: dict[int, RouteCall],
    probe: Probe,
    pending: Pending,
) -> None:
    """Wait for the child, then record what it saw."""
    probe.thread.join()
    try:
        if probe.timed_out:
            message = f"verification timed out after {TIMEOUT_SECONDS} s"
            verification.failures.append(Failure("start-up", message))
            return
        if not pending.out_path.exists():
            last = (probe.stderr.strip().splitlines() or ["no output"])[-1]
            verification.failures.append(Failure("start-up", f"verification crashed: {last}"))
            return
        seen = json.loads(pending.out_path.read_text(encoding="utf-8"))
    finally:
        sandbox.remove(pending.box, keep=not probe.timed_out)
    failing_twins = seen.get("failing_twins", {})
    for name, error in seen["imports"].items():
        module = probe.modules[name]
        if name in failing_twins:  # not the codemod's doing: the module stays unverified
            verification.unimportable[module] = (
                f"{name} does not import ({error}), nor does its legacy twin "
                f"({failing_twins[name]})"
            )
            continue
        verification.failures.append(Failure("imports", f"{name}: {error}", module=module))
    if seen["startup"]:
        verification.failures.append(Failure("start-up", seen["startup"]))
    answers.record(verification, calls, seen["calls"])
    verification.url_map = seen.get("url_map")
    verification.steps.update(seen.get("seconds", {}))


def verify_run(result: RunResult, dest: Path, pending: Pending) -> Verification:
    """Verify what `result` wrote under `dest` with the child `start()` gave, and put the
    outcome on its entries (see outcome.py)."""
    from codemods.engine.verify.outcome import apply

    clock = time.perf_counter()
    written = read_written(result, dest)  # the checks and the outcome read the same text
    reading = time.perf_counter() - clock
    verification, calls = verify(result, dest, pending, written)
    verification.seconds += reading
    result.findings += apply(result.findings, verification, calls, dest, written[1])
    result.verification_seconds = verification.seconds
    result.verification_child_cpu = verification.child_cpu
    return verification
