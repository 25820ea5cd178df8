"""Jinja templates compiled once across verification runs. Both sides of every run compiled the
same templates again (0.06 of the 0.5 s of CPU of the example shop's child); a template's code
is a function of what the key covers:

- Jinja's and Python's versions, the template's source, its name and `defer_init`;
- the environment's settings that reach the compiler: the lexer's (delimiters, line prefixes,
  whitespace handling), its extensions, `optimized`, `is_async`, `finalize`, its autoescape for
  this name, its policies, its code generator and context classes (a class by where it is
  defined and the digest of its methods' code);
- its filters and tests (a filter applied to a constant runs at compile time; an unknown one
  fails it): each by name, module, qualified name and the digest of its code. What a closure
  or a module global of theirs holds is not covered.

The file name is not in the key (each run's sandbox has its own folder): a cached code object
gets the run's file name back, as compiling it there would give it. The files live beside the
warm verification server's socket (`strangler-verify-warm-<uid>/jinja-compiled`, a private
folder), the newest `KEPT` of them; `STRANGLER_VERIFY_WARM=0` turns the cache off with the
server.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any

KEPT = 512
_installed = False


def install(folder: Path) -> None:
    """From now on, `jinja2.Environment.compile` takes a template's code from `folder` when it
    compiled the same one before (nothing happens when Jinja is not installed)."""
    global _installed
    if _installed or importlib.util.find_spec("jinja2") is None:
        return
    import jinja2

    jinja2.Environment.compile = compiling_through(  # type: ignore[method-assign]
        folder, jinja2.Environment.compile
    )
    _installed = True


def compiling_through(folder: Path, original: Callable[..., Any]) -> Callable[..., Any]:
    """`Environment.compile` (`original`) with the code of each template kept in `folder`."""
    from jinja2.utils import internalcode

    def compile(
        self: Any,
        source: Any,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        if raw or not isinstance(source, str):
            return original(self, source, name, filename, raw, defer_init)
        path = folder / f"{key(self, source, name, defer_init)}.code"
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            code = marshal.loads(path.read_bytes())
            if isinstance(code, CodeType):
                return refiled(code, filename or "<template>")
        code = original(self, source, name, filename, raw, defer_init)
        keep(path, marshal.dumps(code))
        return code

    return internalcode(compile)


def key(environment: Any, source: str, name: str | None, defer_init: bool) -> str:
    import jinja2

    autoescape = environment.autoescape
    parts = [
        jinja2.__version__,
        sys.version,
        name,
        defer_init,
        source,
        [
            getattr(environment, setting)
            for setting in (
                "block_start_string",
                "block_end_string",
                "variable_start_string",
                "variable_end_string",
                "comment_start_string",
                "comment_end_string",
                "line_statement_prefix",
                "line_comment_prefix",
                "trim_blocks",
                "lstrip_blocks",
                "newline_sequence",
                "keep_trailing_newline",
            )
        ],
        _named({n: type(e) for n, e in environment.extensions.items()}),
        environment.optimized,
        environment.is_async,
        _named(environment.finalize),
        autoescape(name) if callable(autoescape) else autoescape,
        _named(environment.policies),
        _named(environment.code_generator_class),
        _named(environment.context_class),
        _named(environment.filters),
        _named(environment.tests),
    ]
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _named(value: Any) -> Any:
    """A value as the key holds it: a function or class by where it is defined (and a
    function's code by its digest), a partial by its function and arguments, containers by
    their items, plain values as they are."""
    if value is None or isinstance(value, str | int | float | bool | bytes):
        return repr(value)
    if isinstance(value, dict):
        return sorted((repr(k), _named(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return [_named(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(repr(_named(v)) for v in value)
    if isinstance(value, functools.partial):
        return "partial", _named(value.func), _named(value.args), _named(value.keywords)
    function = getattr(value, "__func__", value)
    code = getattr(function, "__code__", None)
    where = f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value))}"
    if isinstance(code, CodeType):
        return where, _digest(code)
    return where, _class_digest(value if isinstance(value, type) else type(value))


_digests: dict[int, tuple[object, str]] = {}  # by id: the object kept alive with its digest


def _digest(code: CodeType) -> str:
    """The digest of a function's code, whichever run's file it came from."""
    found = _digests.get(id(code))
    if found is None:
        found = _digests[id(code)] = (
            code,
            hashlib.sha256(marshal.dumps(refiled(code, ""))).hexdigest(),
        )
    return found[1]


def _class_digest(kind: type) -> str:
    """The digest of the code of the methods a class and its bases (not Python's) define: an
    extension's `parse`, a code generator's visits, a callable filter's `__call__`."""
    found = _digests.get(id(kind))
    if found is None:
        digest = hashlib.sha256()
        for owner in kind.__mro__:
            if owner.__module__ == "builtins":
                continue
            for name, member in sorted(vars(owner).items()):
                code = getattr(getattr(member, "__func__", member), "__code__", None)
                if isinstance(code, CodeType):
                    digest.update(f"{owner.__qualname__}.{name}:{_digest(code)}".encode())
        found = _digests[id(kind)] = (kind, digest.hexdigest())
    return found[1]


def refiled(code: CodeType, filename: str) -> CodeType:
    """`code` and the code objects it holds, as compiled from `filename`."""
    consts = tuple(refiled(c, filename) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def keep(path: Path, data: bytes) -> None:
    """Store `data` as `path` (whole or not at all); now and then drop all but the newest
    `KEPT` files."""
    with contextlib.suppress(OSError):
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        if path.stem.startswith("00"):  # one write in 256
            files = sorted(path.parent.glob("*.code"), key=lambda p: p.stat().st_mtime_ns)
            for old in files[:-KEPT]:
                with contextlib.suppress(FileNotFoundError):
                    old.unlink()


def folder() -> Path:
    from codemods.engine.verify.warm import server_folder

    found = server_folder() / "jinja-compiled"
    found.mkdir(mode=0o700, exist_ok=True)
    return found
