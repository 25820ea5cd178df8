"""The literal keys a view reads from the submission it is posted (`request.POST` for Django,
`request.form` and `request.values` for Flask): `submission["key"]`, `.get("key")`,
`.getlist(...)`, `.pop(...)`, `"key" in submission`. Each framework says what a submission is."""

from __future__ import annotations

import ast
from collections.abc import Callable

GETTERS = frozenset({"get", "getlist", "pop", "__getitem__"})
TYPED_TEXT = "submitted"  # what verification types into a key or text input (seeded rows: "sample")

IsSubmission = Callable[[ast.AST], bool]


def key_read(node: ast.AST, is_submission: IsSubmission) -> str | None:
    """The key a read of the submission names, when it is a literal string."""
    key: ast.AST | None = None
    if isinstance(node, ast.Subscript) and is_submission(node.value):
        key = node.slice
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in GETTERS
        and is_submission(node.func.value)
        and node.args
    ):
        key = node.args[0]
    elif (
        isinstance(node, ast.Compare)
        and len(node.ops) == 1
        and isinstance(node.ops[0], ast.In | ast.NotIn)
        and is_submission(node.comparators[0])
    ):
        key = node.left
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return key.value
    return None


def keys_read(node: ast.AST, is_submission: IsSubmission) -> list[str]:
    """Every key `node`'s code reads from the submission, in `ast.walk`'s order, once each."""
    keys = (key_read(found, is_submission) for found in ast.walk(node))
    return list(dict.fromkeys(key for key in keys if key is not None))
