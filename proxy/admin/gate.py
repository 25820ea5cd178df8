"""Which requests reach the admin API and dashboard, and which cannot.

Everything under `/_strangler/` belongs to the front: a request whose raw path starts with it in
canonical form goes to the admin app, never to the legacy or migrated app. A spelling that only
some normalisation turns into `/_strangler` (`/%5Fstrangler`, `//_strangler`, `/x/../_strangler`,
`/_STRANGLER`, `/_strangler;x`, `/_strangler%2Fapi`) is answered 400, like any ambiguous path:
it reaches neither the admin API (a proxy in front that guards `/_strangler` by prefix sees the
same raw path as the front) nor an app that might read it as something else.
"""

from __future__ import annotations

import re
from enum import Enum

from proxy.paths import decode_path, loose_form

PREFIX = "/_strangler"
_PREFIX_BYTES = PREFIX.encode()
_SUSPICIOUS_RAW = re.compile(rb"%|;|//|\\|/\.\.?(/|$)")
# What every spelling of the prefix holds somewhere in the raw target (query included)
_PREFIX_HINT = re.compile(rb"(?i)strangler|%")


class Reach(Enum):
    ADMIN = "admin"  # the admin app answers
    AMBIGUOUS = "ambiguous"  # the front answers 400
    APPS = "apps"  # not ours: the front's usual path decision


def plainly_apps(raw_target: bytes) -> bool:
    """True when `raw_target` (a raw path, with or without its query string) holds neither
    "strangler" in any case nor "%": `reach` of its path is APPS. One regex search, for the gate's
    every request."""
    return _PREFIX_HINT.search(raw_target) is None


def reach(raw_path: bytes) -> Reach:
    """Who may answer `raw_path` (without its query string)."""
    if raw_path == _PREFIX_BYTES or raw_path.startswith(_PREFIX_BYTES + b"/"):
        return Reach.AMBIGUOUS if _SUSPICIOUS_RAW.search(raw_path) else Reach.ADMIN
    lowered = raw_path.lower()
    if b"strangler" not in lowered and b"%" not in lowered:
        return Reach.APPS
    loose = loose_form(decode_path(raw_path)).lower()
    if loose == PREFIX or loose.startswith(PREFIX + "/"):
        return Reach.AMBIGUOUS
    return Reach.APPS


def is_admin_template(path: str) -> bool:
    """Whether a `[[routes]]` path would shadow, or be shadowed by, the admin paths."""
    loose = loose_form(path).lower()
    return loose == PREFIX or loose.startswith(PREFIX + "/")
