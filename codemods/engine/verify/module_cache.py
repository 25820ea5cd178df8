"""Python modules compiled once across verification runs. Each run's child imports the legacy
app's modules (from the sandbox's copy) and the generated ones, and writes no bytecode, so it
compiled every one of them again: about 0.025 s of CPU per run on each example app, a fifth of
a bare parse+render of the same files. A module's code object is a function of what the key
covers: Python's version and bytecode magic number, the optimization level, and the module's
source bytes (`compile` is called with `dont_inherit=True`: no flag of the importer reaches it).

The file name is not in the key (each run's sandbox has its own folder): a cached code object
gets the run's file name back (`_imp._fix_co_filename`, as importlib does for a `.pyc`).
Only the compiling is skipped: the module is still executed on each import. The files live
beside the warm verification server's socket (`strangler-verify-warm-<uid>/python-compiled`, a
private folder), the newest `jinja_cache.KEPT` of them; `STRANGLER_VERIFY_WARM=0` turns the
cache off with the server.
"""

from __future__ import annotations

import _imp
import contextlib
import hashlib
import importlib.machinery
import importlib.util
import marshal
import sys
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any

from codemods.engine.verify.jinja_cache import keep

_installed = False


def install(folder: Path) -> None:
    """From now on, the import system takes a source module's code from `folder` when the same
    source was compiled before."""
    global _installed
    if _installed:
        return
    loader = importlib.machinery.SourceFileLoader
    loader.source_to_code = compiling_through(  # type: ignore[method-assign]
        folder, loader.source_to_code
    )
    _installed = True


def compiling_through(folder: Path, original: Callable[..., CodeType]) -> Callable[..., CodeType]:
    """`SourceLoader.source_to_code` (`original`) with the code of each source kept in `folder`."""

    def source_to_code(self: Any, data: Any, path: Any, *, _optimize: int = -1) -> CodeType:
        if not isinstance(data, bytes) or not isinstance(path, str):
            return original(self, data, path, _optimize=_optimize)
        cached = folder / f"{key(data, _optimize)}.code"
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            code = marshal.loads(cached.read_bytes())
            if isinstance(code, CodeType):
                _imp._fix_co_filename(code, path)  # type: ignore[attr-defined]
                return code
        code = original(self, data, path, _optimize=_optimize)
        keep(cached, marshal.dumps(code))
        return code

    return source_to_code


def key(source: bytes, optimize: int) -> str:
    level = sys.flags.optimize if optimize == -1 else optimize
    digest = hashlib.sha256(importlib.util.MAGIC_NUMBER)
    digest.update(f"{sys.version}\0{level}\0".encode())
    digest.update(source)
    return digest.hexdigest()


def folder() -> Path:
    from codemods.engine.verify.warm import server_folder

    found = server_folder() / "python-compiled"
    found.mkdir(mode=0o700, exist_ok=True)
    return found
