"""Build the source of a Pydantic model from field descriptions (used by form/schema rules)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ModelField:
    name: str
    annotation: str
    constraints: dict[str, str] = field(default_factory=dict)  # Field keyword -> code
    default: str | None = None  # code; None means required
    optional: bool = False

    def line(self) -> str:
        annotation = f"{self.annotation} | None" if self.optional else self.annotation
        default = self.default if self.default is not None else ("None" if self.optional else None)
        if self.constraints:
            args = ", ".join(f"{k}={v}" for k, v in self.constraints.items())
            annotation = f"Annotated[{annotation}, Field({args})]"
        return f"{self.name}: {annotation}" + (f" = {default}" if default is not None else "")


@dataclass
class ModelSource:
    name: str
    doc: str
    fields: list[ModelField] = field(default_factory=list)
    validators: list[str] = field(default_factory=list)  # method sources, indented 4

    @property
    def needs_field(self) -> bool:
        return any(f.constraints for f in self.fields)

    def code(self) -> str:
        lines = [f"class {self.name}(BaseModel):", f'    """{self.doc}"""', ""]
        lines += [f"    {f.line()}" for f in self.fields] or ["    pass"]
        for validator in self.validators:
            lines += ["", validator.rstrip("\n")]
        return "\n".join(lines) + "\n"
