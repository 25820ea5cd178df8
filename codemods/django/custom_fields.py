"""The model fields SRC defines by subclassing one of Django's (`class AutoSlugField(SlugField)`),
read with `ast` from the models modules: the models rule gives such a field the column of the
field it subclasses (`AutoSlugField(populate_from="title")` -> the `SlugField` column), so a
generated row reads what Django stored. What the subclass adds on save (`pre_save` filling the
slug) is not carried: the models rule says so in a TODO."""

from __future__ import annotations

import ast

from codemods.engine.ast_names import top_level_classes


def read_custom_fields(sources: list[str], known: frozenset[str]) -> dict[str, str]:
    """Field class of SRC -> the field of `known` it subclasses (through other classes of SRC);
    a name two classes share is left out."""
    bases: dict[str, str] = {}
    ambiguous: set[str] = set()
    for node, _ in top_level_classes(sources):
        if len(node.bases) == 1:
            base = ast.unparse(node.bases[0]).rsplit(".", 1)[-1]
            if node.name in bases and bases[node.name] != base:
                ambiguous.add(node.name)
            bases[node.name] = base
    found: dict[str, str] = {}
    for name in set(bases) - ambiguous - known:
        seen = {name}
        base = bases[name]
        while base not in known and base in bases and base not in seen | ambiguous:
            seen.add(base)
            base = bases[base]
        if base in known:
            found[name] = base
    return found
