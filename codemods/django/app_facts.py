"""What the Django models and forms rules read of the whole source tree: each app's label and
`default_auto_field` (apps.py), and every models module's text (for ModelForms elsewhere)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

MANAGERS_MODULES = ("managers.py", "querysets.py")


@dataclass
class AppFacts:
    """What the models and forms rules read of the whole source tree (the framework's analysis
    may carry these same attributes): per app folder, its label and `default_auto_field` from
    apps.py; and the text of every models module, for ModelForms in other modules."""

    app_labels: dict[str, str] = field(default_factory=dict)
    auto_fields: dict[str, str] = field(default_factory=dict)
    models_sources: list[str] = field(default_factory=list)
    # the modules beside them holding custom QuerySets and Managers (queryset_methods.py)
    managers_sources: list[str] = field(default_factory=list)
    # an app label -> its models module, as path parts under the source tree
    label_models: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the folders holding an apps.py, as path parts under the source tree (() for its root)
    app_packages: set[tuple[str, ...]] = field(default_factory=set)


def read_apps(src: Path) -> AppFacts:
    """The `AppFacts` of the Django project or app folder `src` (files that do not parse are
    skipped: the rules then fall back to the folder name and BigAutoField)."""
    facts = AppFacts()
    for apps in sorted(src.rglob("apps.py")):
        try:
            tree = ast.parse(apps.read_text())
        except (SyntaxError, UnicodeDecodeError):
            continue
        folder = apps.parent.name
        facts.app_packages.add(apps.parent.relative_to(src).parts)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
                if isinstance(target, ast.Name) and isinstance(value, ast.Constant):
                    if target.id == "label" and isinstance(value.value, str):
                        facts.app_labels[folder] = value.value
                        if apps.with_name("models.py").exists():
                            models_path = apps.with_name("models.py").relative_to(src)
                            facts.label_models[value.value] = models_path.parts
                    elif target.id == "default_auto_field" and isinstance(value.value, str):
                        facts.auto_fields[folder] = value.value.rsplit(".", 1)[-1]
    for models in sorted(src.rglob("models.py")):
        # an app without an explicit label has its folder's name as label
        facts.label_models.setdefault(models.parent.name, models.relative_to(src).parts)
        try:
            facts.models_sources.append(models.read_text())
        except UnicodeDecodeError:
            continue
    for name in MANAGERS_MODULES:
        for managers in sorted(src.rglob(name)):
            try:
                facts.managers_sources.append(managers.read_text())
            except UnicodeDecodeError:
                continue
    return facts
