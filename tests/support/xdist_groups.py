"""`--dist loadgroup` as pytest-xdist means it, on the pytest this project runs.

pytest-xdist (3.8) sends the tests of one `xdist_group` to one worker by appending `@GROUP` to
each test's node id, which it writes into `item._nodeid`; pytest 9.2 keeps a node's id in
`item._id`, so the suffix is lost and every group is silently spread over the workers (each
corpus app converted by one worker while the other waits on its lock, each module-scoped fixture
made once per worker). `add_group_suffixes` writes the suffix where pytest reads it; it does
nothing where the id already has it.

`group_by_module` puts the tests of a module that use a module-scoped fixture (a converted
project, a seeded database, a server) in a group of their own, so that fixture is made once.
"""

from __future__ import annotations

import pytest

MODULE_GROUP_PREFIX = "module:"


def group_names(item: pytest.Item) -> list[str]:
    return sorted(
        {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
    )


def add_group_suffixes(items: list[pytest.Item]) -> None:
    """`NODEID@GROUP` as the id of every grouped test (what pytest-xdist's scheduler reads)."""
    try:
        from _pytest.nodeid import coerce_node_id
    except ImportError:  # an older pytest: pytest-xdist's own `_nodeid` suffix works there
        return
    for item in items:
        names = group_names(item)
        if names and "@" not in item.nodeid and hasattr(item, "_id"):
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(names)}")


def shares_a_module_fixture(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(defs and defs[-1].scope == "module" for defs in info.name2fixturedefs.values())


def group_by_module(item: pytest.Item) -> None:
    """An `xdist_group` of its module for a test that uses a module-scoped fixture."""
    if item.get_closest_marker("xdist_group") is None and shares_a_module_fixture(item):
        item.add_marker(pytest.mark.xdist_group(MODULE_GROUP_PREFIX + item.nodeid.split("::")[0]))
