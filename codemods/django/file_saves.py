"""`.save(...)` calls that write a file, not a row: an image or document saved to a file object
the function made, as dj-rest-auth's TOTP view renders its QR code:

    img = qrcode.make(data, image_factory=qrcode.image.svg.SvgImage)
    buf = io.BytesIO()
    img.save(buf)

Django's `Model.save()` takes no file (its positional arguments, deprecated since Django 5.1,
are `force_insert`, `force_update`, `using`, `update_fields`), a ModelForm's `save()` takes
`commit` and a file field's `save(name, content)` a name first, so a first argument that is a
name the function binds only to `io.BytesIO()`, `io.StringIO()` or `open(...)` (assigned, or
`with ... as name`) is no query. A path (`x.save("a.png", ...)`) is not read as one: a file
field's `save("a.png", content)` saves its row too."""

from __future__ import annotations

import libcst as cst

from codemods.engine.nodes import dotted_name
from codemods.engine.walk import walk

FILE_MAKERS = frozenset({"io.BytesIO", "io.StringIO", "BytesIO", "StringIO", "open"})


class _FileNames(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: set[str] = set()
        self.other: set[str] = set()

    def _bound(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if not isinstance(target, cst.Name):
            return
        made = isinstance(value, cst.Call) and dotted_name(value.func) in FILE_MAKERS
        (self.found if made else self.other).add(target.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bound(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bound(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bound(node.target, None)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None and isinstance(node.asname.name, cst.BaseExpression):
            self._bound(node.asname.name, node.item)

    def visit_For(self, node: cst.For) -> None:
        self._bound(node.target, None)


def file_objects(function: cst.FunctionDef) -> frozenset[str]:
    """The names `function` binds only to a file object it makes."""
    names = _FileNames()
    walk(function.body, names)  # sets: the order of the visits does not matter
    return frozenset(names.found - names.other)


def saves_to_file(node: cst.Call, files: frozenset[str]) -> bool:
    """`x.save(f, ...)` whose first argument is one of `files`."""
    func = node.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "save" and node.args):
        return False
    first = node.args[0]
    if first.keyword is not None or first.star:
        return False
    return isinstance(first.value, cst.Name) and first.value.value in files
