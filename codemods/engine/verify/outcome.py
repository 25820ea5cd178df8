"""Put what verification found on the report's entries: `verified`, `error`, and the status.

A route is `converted` only when it passed every check; one that failed a check is `partial` with
the exact error, one that could not be called is `unverified`.
"""

from __future__ import annotations

from pathlib import Path

from codemods.engine.findings import Finding, Status
from codemods.engine.verify.failures import Failure, Verification
from codemods.engine.verify.routes import RouteCall, generated_module, handler_of

CATEGORY = {
    "names": "a name in the generated code is wrong",
    "imports": "a generated module does not import",
    "start-up": "the generated app does not start",
    "answers": "a route answers differently from legacy",
}


def reason(failure: Failure) -> str:
    """The report reason for a failure: `verify <check>: <exact error>`."""
    return f"verify {failure.check}: {failure.message}"


def apply(
    findings: list[Finding],
    verification: Verification,
    calls: dict[int, RouteCall],
    dest: Path,
    sources: dict[str, str],
) -> list[Finding]:
    """Set the verification fields of `findings`; returns new module entries for failures that
    concern a module with no entry yet."""
    app_failures = [f for f in verification.failures if f.module is None]
    by_module: dict[str, list[Failure]] = {}
    for failure in verification.failures:
        if failure.module is not None:
            by_module.setdefault(failure.module, []).append(failure)
    uncalled = {(u.module, u.handler, u.method): u.reason for u in verification.uncalled}
    placed: set[Failure] = set()
    for index, finding in enumerate(findings):
        module = generated_module(finding, dest)
        if module is None or module not in verification.checked_modules:
            continue
        module_failures = by_module.get(module, [])
        imports = [f for f in module_failures if f.check == "imports"]
        if module in verification.unimportable and finding.kind != "module":
            mark_unverified(finding, verification.unimportable[module])
        elif finding.kind == "route":
            call = calls.get(index)
            handler = finding.target_symbol or finding.symbol
            span = handler_of(sources, module, handler)
            own = [
                f
                for f in module_failures
                if f.check == "names"
                and span is not None
                and f.line is not None
                and span.first_line <= f.line <= span.last_line
            ]
            if call is not None:
                own += [
                    f
                    for f in module_failures
                    if f.check == "answers" and (f.handler, f.method) == (call.handler, call.method)
                ]
            failed = [*imports, *app_failures, *own]
            placed.update(own)
            if failed:
                mark_failed(finding, failed)
            elif call is None:
                mark_unverified(finding, "its route decorator was not found in the generated code")
            elif (call.module, call.handler, call.method) in verification.passed_calls:
                finding.verified = True
            else:
                why = uncalled.get((call.module, call.handler, call.method), "it was not called")
                mark_unverified(finding, why)
        elif finding.kind == "module":
            continue
        elif imports:
            mark_failed(finding, imports)
        else:
            finding.verified = True
    return module_entries(findings, verification, by_module, placed, dest)


def module_entries(
    findings: list[Finding],
    verification: Verification,
    by_module: dict[str, list[Failure]],
    placed: set[Failure],
    dest: Path,
) -> list[Finding]:
    """Failures no route took go on their module's entry (made when there is none)."""
    existing = {generated_module(f, dest): f for f in findings if f.kind == "module"}
    added: list[Finding] = []
    for module in sorted(verification.checked_modules):
        rest = [f for f in by_module.get(module, []) if f not in placed and f.check != "answers"]
        if module == "__init__.py":
            rest += [f for f in verification.failures if f.module is None]
        entry = existing.get(module)
        if not rest:
            if entry is not None:
                entry.verified = True
            continue
        if entry is None:
            entry = Finding(kind="module", symbol="", target=_display(dest / module))
            sources = [f.source for f in findings if generated_module(f, dest) == module]
            entry.source = next((s.rsplit(":", 1)[0] + ":1" for s in sources if s), "")
            added.append(entry)
        mark_failed(entry, rest)
    return added


def mark_failed(finding: Finding, failures: list[Failure]) -> None:
    finding.verified = False
    finding.error = failures[0].message
    for failure in failures:
        finding.note(reason(failure), Status.partial)


def mark_unverified(finding: Finding, why: str) -> None:
    finding.verified = None
    finding.error = f"not called: {why}"
    finding.note(f"verify answers: not called: {why}", Status.unverified)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
