"""The route modes, one class each: `legacy -> shadow -> canary -> new -> retired`.

`mode_named(name, weight)` gives the class's instance for a mode as strangler.toml and the
state store name it.
"""

from __future__ import annotations

from proxy.modes.base import Call, Mirror, Mode, ModeName, Outcome, Side, Sides
from proxy.modes.canary import Canary
from proxy.modes.legacy import Legacy
from proxy.modes.new import New
from proxy.modes.retired import Retired
from proxy.modes.shadow import LegacyOnly, Shadow

MODE_CLASSES: dict[str, type[Mode]] = {
    mode.name: mode for mode in (Legacy, Shadow, Canary, New, Retired)
}


def mode_named(name: str, weight: int = 0) -> Mode:
    """The mode `name` (`legacy`, `shadow`, `canary`, `new`, `retired`); KeyError otherwise."""
    return MODE_CLASSES[str(name)](weight if name == "canary" else 0)


__all__ = [
    "MODE_CLASSES",
    "Call",
    "Canary",
    "Legacy",
    "LegacyOnly",
    "Mirror",
    "Mode",
    "ModeName",
    "New",
    "Outcome",
    "Retired",
    "Shadow",
    "Side",
    "Sides",
    "mode_named",
]
