"""Werkzeug's `FileStorage` and `send_from_directory` in views -> codemods/runtime/flask/files.py.

The request-data rule makes `request.files.get("image")` an `UploadFile | None` parameter; a
variable bound to it (`upload = file_image`) is followed: `upload.save(path)` ->
`save_upload(upload, path)`; `.filename` (`""` when no file was chosen, like Werkzeug),
`.content_type` and `.headers` are the same on both. What differs is marked: `.read()` is a
coroutine on `UploadFile`, `.mimetype`/`.stream` have other names. `send_from_directory(folder,
name)` -> the runtime's (FileResponse; 404 for a missing or unsafe name).
"""

from __future__ import annotations

import libcst as cst

from codemods.engine.context import ModuleContext
from codemods.engine.edit import without_imported_names
from codemods.engine.findings import Status
from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule
from codemods.flask.facts import RequestFacts

FILES = "codemods.runtime.flask.files"
DIFFERENT = {
    "read": "UploadFile.read() is a coroutine: use upload.file.read() in a sync view",
    "mimetype": "FileStorage.mimetype: use UploadFile.content_type (it keeps parameters)",
    "stream": "FileStorage.stream: use UploadFile.file",
    "content_length": "FileStorage.content_length: use UploadFile.size",
}


class UploadsRule(Rule):
    name = "uploads"
    DESCRIPTION = "FileStorage.save and send_from_directory in views -> runtime helpers."
    triggers = ("request.files", "send_from_directory")
    needs_handlers = True
    requires = ("routes",)
    uses = ("request-data",)

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.uploads: set[str] = set()
        self.send_imported = False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is None or dotted_name(node.module) != "flask":
            return
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            if isinstance(alias.name, cst.Name) and alias.name.value == "send_from_directory":
                self.send_imported = alias.asname is None

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        if node.name.value not in self.handlers:
            return self.declares_handlers(node)
        self.uploads = set(self.read(RequestFacts).upload_params)
        return True

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return bool(self._functions) or isinstance(node.body[0], cst.ImportFrom)

    def visit_Assign(self, node: cst.Assign) -> None:
        if dotted_name(node.value) in self.uploads:
            for target in node.targets:
                name = dotted_name(target.target)
                if name:
                    self.uploads.add(name)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if dotted_name(node.value) in self.uploads and node.attr.value in DIFFERENT:
            self.todo(DIFFERENT[node.attr.value], Status.partial)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "save"
            and dotted_name(func.value) in self.uploads
        ):
            self.use(FILES, "save_upload")
            return updated_node.with_changes(
                func=cst.Name("save_upload"), args=[cst.Arg(func.value), *updated_node.args]
            )
        args = [self.named(arg) for arg in updated_node.args]
        if all(new is old for new, old in zip(args, updated_node.args, strict=True)):
            return updated_node
        return updated_node.with_changes(args=args)

    def named(self, arg: cst.Arg) -> cst.Arg:
        """`f(upload.filename)` -> `f(upload.filename or "")`: UploadFile's is `str | None` (a
        file part always has one)."""
        value = arg.value
        if (
            isinstance(value, cst.Attribute)
            and value.attr.value == "filename"
            and dotted_name(value.value) in self.uploads
        ):
            return arg.with_changes(
                value=cst.BooleanOperation(value, cst.Or(), cst.SimpleString('""'))
            )
        return arg

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self.send_imported:
            return updated_node
        # the runtime's twin needs no request: it stands for Flask's everywhere (an unused
        # import is not added)
        self.use(FILES, "send_from_directory")
        return updated_node.with_changes(
            body=without_imported_names(updated_node.body, "flask", {"send_from_directory"})
        )
