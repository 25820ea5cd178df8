"""What the session bridge needs from the legacy package, found by reading its source.

flask-login's user loader (`@login_manager.user_loader`), the login manager's messages and
session protection, and the configuration that shapes the session cookie (`SECRET_KEY`,
`SESSION_COOKIE_NAME`, `PERMANENT_SESSION_LIFETIME`, `REMEMBER_COOKIE_*`, ...) wherever the app
sets them: a dict of settings, `app.config[...] =`, `app.secret_key =`, `config.update(...)`, or
a settings class/module. An expression is carried over only when it needs nothing but the
standard library (`os.environ.get("SECRET_KEY", "dev")`, `timedelta(days=7)`).
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from codemods.engine.package_files import python_files
from codemods.engine.parsed import parse_ast_shared

CONFIG_KEYS = (
    "SECRET_KEY",
    "SECRET_KEY_FALLBACKS",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_DOMAIN",
    "SESSION_COOKIE_PATH",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_PARTITIONED",
    "SESSION_REFRESH_EACH_REQUEST",
    "PERMANENT_SESSION_LIFETIME",
    "APPLICATION_ROOT",
    "SESSION_PROTECTION",
    "LOGIN_DISABLED",
    "REMEMBER_COOKIE_NAME",
    "REMEMBER_COOKIE_DURATION",
    "REMEMBER_COOKIE_DOMAIN",
    "REMEMBER_COOKIE_PATH",
    "REMEMBER_COOKIE_SECURE",
    "REMEMBER_COOKIE_HTTPONLY",
    "REMEMBER_COOKIE_SAMESITE",
    "REMEMBER_COOKIE_REFRESH_EACH_REQUEST",
    "USE_SESSION_FOR_NEXT",
    "WTF_CSRF_SECRET_KEY",
    "WTF_CSRF_TIME_LIMIT",
)
MANAGER_ATTRIBUTES = ("login_message", "login_message_category", "session_protection")
BUILTINS = frozenset(dir(builtins))


@dataclass(frozen=True)
class Setting:
    """One configuration value: its expression, the imports it needs, where it was found."""

    code: str
    imports: tuple[str, ...]
    where: str


@dataclass(frozen=True)
class UserLoader:
    module: tuple[str, ...]  # the module's path parts under the package
    function: str
    code: str  # the function as written, decorators included
    imports: dict[str, str]  # name used by the function -> the import statement binding it
    local_names: frozenset[str]  # names the function uses that its own module defines
    where: str


@dataclass
class LoginSetup:
    loader: UserLoader | None = None
    settings: dict[str, Setting] = field(default_factory=dict)
    duplicates: dict[str, list[str]] = field(default_factory=dict)  # key -> other places
    manager: dict[str, str] = field(default_factory=dict)  # attribute -> literal code
    unresolved: dict[str, str] = field(default_factory=dict)  # key -> a value not carried over
    problems: list[str] = field(default_factory=list)

    def reasons(self) -> list[str]:
        """Why the generated settings may not be the legacy app's: each makes routes manual."""
        return [*self.problems] + [
            f"login: {key} is {value}: set it in login_bridge.py by hand"
            for key, value in self.unresolved.items()
            if key not in self.settings
        ]


def scan(root: Path) -> LoginSetup:
    """Read every module of the package at `root` (its tests excepted)."""
    files = sorted(
        (f for f in python_files(root) if not _is_test(f.path.relative_to(root))),
        key=lambda f: f.path,
    )
    return _scan(str(root), tuple((str(f.path), f.mtime_ns) for f in files))


@lru_cache(maxsize=16)
def _scan(root: str, stamp: tuple[tuple[str, int], ...]) -> LoginSetup:
    setup = LoginSetup()
    for path_text, _ in stamp:
        path = Path(path_text)
        try:
            source = path.read_text(encoding="utf-8")
            tree = parse_ast_shared(source)
        except (OSError, UnicodeDecodeError, SyntaxError):
            continue
        _Module(setup, path.relative_to(root).parts, source, tree).read()
    return setup


def _is_test(relative: Path) -> bool:
    name = relative.name
    return "tests" in relative.parts[:-1] or name == "conftest.py" or name.startswith("test_")


class _Module:
    def __init__(
        self, setup: LoginSetup, parts: tuple[str, ...], source: str, tree: ast.Module
    ) -> None:
        self.setup = setup
        self.parts = parts
        self.source = source
        self.tree = tree
        self.imports = _imports(tree)
        self.defined = _defined(tree)

    def where(self, node: ast.AST) -> str:
        return f"{'/'.join(self.parts)}:{getattr(node, 'lineno', 1)}"

    def read(self) -> None:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self.function(node)
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        self.setting(key.value, value)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in ("update", "from_mapping"):
                    for keyword in node.keywords:
                        if keyword.arg:
                            self.setting(keyword.arg, keyword.value)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if node.value is not None:
                    for target in targets:
                        self.assignment(target, node.value)

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            if not isinstance(decorator, ast.Attribute):
                continue
            if decorator.attr == "request_loader":
                self.setup.problems.append(
                    f"login: flask-login's request_loader ({self.where(node)}) is not converted"
                )
            if decorator.attr != "user_loader" or self.setup.loader is not None:
                continue
            used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            arguments = {a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)}
            used -= arguments | BUILTINS
            start = node.decorator_list[0].lineno
            lines = self.source.splitlines()[start - 1 : node.end_lineno]
            self.setup.loader = UserLoader(
                module=self.parts,
                function=node.name,
                code="\n".join(lines) + "\n",
                imports={n: self.imports[n] for n in used if n in self.imports},
                local_names=frozenset(n for n in used if n in self.defined),
                where=self.where(node),
            )

    def assignment(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
            if isinstance(target.value, ast.Attribute) and target.value.attr == "config":
                key = target.slice.value
                if isinstance(key, str):
                    self.setting(key, value)
        elif isinstance(target, ast.Attribute):
            if target.attr == "secret_key":
                self.setting("SECRET_KEY", value)
            elif target.attr in MANAGER_ATTRIBUTES and isinstance(value, ast.Constant):
                self.setup.manager.setdefault(target.attr, repr(value.value))
        elif isinstance(target, ast.Name):
            self.setting(target.id, value)

    def setting(self, key: str, value: ast.expr) -> None:
        """A candidate value; one that needs a local name (a parameter, a variable) is only
        reported when no self-contained candidate exists."""
        if key not in CONFIG_KEYS:
            return
        where = self.where(value)
        code = ast.get_source_segment(self.source, value) or ast.unparse(value)
        names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)} - BUILTINS
        statements = [self.imports.get(name) for name in sorted(names)]
        if any(s is None or s.startswith("from .") for s in statements):
            self.setup.unresolved.setdefault(key, f"`{code}` ({where})")
            return
        known = self.setup.settings.get(key)
        if known is None:
            self.setup.settings[key] = Setting(code, tuple(s for s in statements if s), where)
        elif known.code != code:
            self.setup.duplicates.setdefault(key, []).append(where)


def _imports(tree: ast.Module) -> dict[str, str]:
    """Module-level imports: bound name -> one import statement binding just that name."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                found[bound] = f"import {alias.name}" + (
                    f" as {alias.asname}" if alias.asname else ""
                )
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                bound = alias.asname or alias.name
                suffix = f" as {alias.asname}" if alias.asname else ""
                found[bound] = f"from {module} import {alias.name}{suffix}"
    return found


def _defined(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def relative_import(statement: str, module: tuple[str, ...]) -> str:
    """An import statement of the module at `module` (path parts), rewritten for a module at
    the package root."""
    if not statement.startswith("from ."):
        return statement
    name = statement[len("from ") :].split(" ", 1)[0]
    level = len(name) - len(name.lstrip("."))
    package = list(module[:-1])
    base = package[: len(package) - (level - 1)] if level > 1 else package
    rest = name.lstrip(".")
    target = ".".join([*base, *([rest] if rest else [])])
    return statement.replace(f"from {name} ", f"from .{target} ", 1)
