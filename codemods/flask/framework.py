"""Flask as a source framework: its rules, its analysis, and the runtime its output imports."""

from codemods.engine.framework import Framework
from codemods.flask.analysis import analyse
from codemods.flask.registry import REGISTRY

FLASK = Framework(
    "flask",
    REGISTRY,
    analyse=analyse,
    first_party=("codemods",),
    verifier="codemods.flask.verify_legacy",
)
