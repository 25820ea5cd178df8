"""The comparison engine: one piece of code used offline by parity and live by shadow mode.

Give it two HTTP responses (and, when known, the database rows each side changed), the route's
ignore rules and the noise measured so far; it answers with structured differences whose paths a
person can read (`$.items[3].price: 9.5 != "9.50"`).

    from proxy.diff import Exchange, IgnoreRules, compare, measure_noise

    noise = measure_noise(legacy_first, legacy_second)
    rules = IgnoreRules(json_paths=["$..created_at"])
    result = compare(legacy_first, new, rules=rules, noise=noise)
    for difference in result.real:
        print(difference)
"""

from proxy.diff.compare import compare, measure_noise
from proxy.diff.model import Comparison, Difference, Exchange, Response
from proxy.diff.noise import NoiseSet
from proxy.diff.paths import Path, PathPattern
from proxy.diff.rows import RowChanges, TableChanges
from proxy.diff.rules import IgnoreRules

__all__ = [
    "Comparison",
    "Difference",
    "Exchange",
    "IgnoreRules",
    "NoiseSet",
    "Path",
    "PathPattern",
    "Response",
    "RowChanges",
    "TableChanges",
    "compare",
    "measure_noise",
]
