"""Patterns added to urlpatterns through a list of another module
(`urlpatterns += assistant_urls`, `from explorer.assistant.urls import assistant_urls`): the
URLconf registers them itself, so it needs the names their code reads, imported where the list's
module has them from.

    assistant_urls = [path("assistant/", AssistantHelpView.as_view(), name="assistant")]
->  from .assistant.views import AssistantHelpView      # in the URLconf's router block

A name of SRC is imported from the generated twin of the module defining it (as the URLconf's own
view imports are, rules/view_imports.py); a name from outside SRC from where the list's module
imports it. A name the URLconf already binds to something else cannot be imported: those
patterns stay `manual`, with the name.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

ModulePath = tuple[str, ...]


@dataclass(frozen=True)
class NameImport:
    """`from <module> import <original> as <name>`, in the URLconf."""

    name: str  # the name the pattern's code reads
    original: str  # its name in the module it is imported from
    module: ModulePath | None = None  # a module of SRC: its generated twin (relative import)
    outside: str | None = None  # else the dotted module outside SRC


def names_read(expressions: list[ast.expr]) -> list[str]:
    """The free names the expressions read, in order, once each (`views` of `views.f`)."""
    found: list[str] = []
    for expression in expressions:
        for node in ast.walk(expression):
            loaded = isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
            if loaded and node.id not in found:  # type: ignore[attr-defined]
                found.append(node.id)  # type: ignore[attr-defined]
    return found
