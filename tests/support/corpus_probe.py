"""Run inside a corpus app's venv: `python corpus_probe.py COMMAND JSON`; prints one JSON line.

- `routes {"build": CODE}`: CODE leaves the Flask app in `app`; prints every rule of its
  `url_map` (rule, endpoint, methods, and the module, name and line of the view, unwrapped), or
  {"error": ...} when the app cannot be built.
- `imports {"sys_path": [...], "pairs": [[LEGACY, GENERATED], ...]}`: imports each legacy module
  then its generated twin; prints {GENERATED: {"legacy": error|null, "generated": error|null}}.
- `django {"settings": MODULE, "sys_path": [...], "pairs": [...]}`: sets Django up from the
  settings module, lists every URL pattern its resolver serves (the full route as the resolver
  joins it, the namespaced name, the URLconf module the pattern is written in, and the module and
  name of the view, unwrapped: `view_class` of a class-based view) as "rules", then does what
  `imports` does, in the same process, as "imports"; {"error": ...} when Django does not set up.

Standard library only (and the repository's codemods/django/url_patterns.py, which the
verification lists the patterns with): it runs with the app's own packages first on sys.path.
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
import traceback
from typing import Any

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def describe(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    where = f" ({frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    return f"{type(error).__name__}: {error}{where}"[:600]


def view_of(app: Any, endpoint: str) -> dict[str, Any]:
    view = app.view_functions.get(endpoint)
    if view is None:
        return {"module": None, "name": None}
    owner = getattr(view, "view_class", None) or inspect.unwrap(view)
    code = getattr(owner, "__code__", None)
    return {
        "module": getattr(owner, "__module__", None),
        "name": getattr(owner, "__name__", None),
        "qualname": getattr(owner, "__qualname__", None),
        "line": getattr(code, "co_firstlineno", None),  # where a `<lambda>` view is
    }


def routes(payload: dict[str, Any]) -> Any:
    namespace: dict[str, Any] = {}
    try:
        exec(payload["build"], namespace)
        app = namespace["app"]
        rules = list(app.url_map.iter_rules())
    except BaseException as error:
        return {"error": describe(error)}
    return {
        "rules": [
            {
                "rule": rule.rule,
                "endpoint": rule.endpoint,
                "methods": sorted(set(rule.methods or ()) - IGNORED_METHODS),
                **view_of(app, rule.endpoint),
            }
            for rule in rules
        ]
    }


def import_error(module: str) -> str | None:
    try:
        importlib.import_module(module)
    except BaseException as error:
        return describe(error)
    return None


def imports(payload: dict[str, Any]) -> Any:
    sys.path[:0] = payload["sys_path"]
    answer = {}
    for legacy, generated in payload["pairs"]:
        answer[generated] = {"legacy": import_error(legacy), "generated": import_error(generated)}
    return answer


def django(payload: dict[str, Any]) -> Any:
    import os

    os.environ["DJANGO_SETTINGS_MODULE"] = payload["settings"]
    try:
        import django as framework

        from codemods.django.url_patterns import resolver_rules  # the verification's own

        framework.setup()
        rules = resolver_rules()
    except BaseException as error:
        return {"error": describe(error)}
    return {"rules": rules, "imports": imports(payload)}


def main() -> None:
    command, payload = sys.argv[1], json.loads(sys.argv[2])
    answer = {"routes": routes, "imports": imports, "django": django}[command](payload)
    sys.stdout.flush()
    print("\n" + json.dumps(answer))


if __name__ == "__main__":
    main()
