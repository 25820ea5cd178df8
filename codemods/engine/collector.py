"""Imports that the garbage collector need not watch.

Importing the codemods allocates some half a million objects (libcst's node classes, the rules,
pydantic, rich), all kept until the process ends. While they are created, the cyclic collector
runs every 700 allocations and finds nothing; afterwards each of its full passes walks them all
again. `long_lived` runs the imports with the collector paused and then moves what they made to
the permanent generation (`gc.freeze`), out of its passes: on `strangler codemod` in a fresh
process, about a sixth of the CPU time (see docs/developer.md, Known gaps, Speed).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived() -> Iterator[None]:
    """Within: imports whose objects live as long as the process. Frozen on the way out."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
