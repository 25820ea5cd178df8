"""What the Flask rules need to know of the whole legacy package before converting a module:
flask-login's login views and set-up (user loader, secret, session settings), and the
`login_bridge.py` generated from them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import libcst as cst

from codemods.engine.package_imports import imported_from
from codemods.engine.runner import Target, is_test_module, source_package
from codemods.engine.state import ModuleState
from codemods.flask.database_module import add_database_module, session_module
from codemods.flask.login_module import MODULE, Bridge, render
from codemods.flask.login_setup import LoginSetup, scan
from codemods.flask.plain_forms import plain_form_classes
from codemods.flask.route_discovery import Registration, RouteDiscovery, discover

# `class Product(db.Model):`, `class Tag(Base, db.Model, Mixin):`
MODEL_BASE = re.compile(r"^\s*class\s+\w+\s*\([^)]*\b\w+\.Model\b", re.MULTILINE)
# `app.url_map.converters["uuid_str"] = StrictUUIDConverter`, at any indentation
CONVERTER_REGISTRATION = re.compile(
    r"^[ \t]*[\w.]+\.url_map\.converters\[\s*([\'\"])(\w+)\1\s*\]\s*=\s*(\w+)\s*$", re.MULTILINE
)
# `csrf.exempt(catalog.bp)`: a blueprint (or view) Flask-WTF's CSRFProtect does not check
CSRF_EXEMPT = re.compile(r"\.exempt\(\s*([\w.]+)\s*\)")
# `principal = Principal(use_sessions=False)`: a Flask-Principal made without its app
PRINCIPAL = re.compile(r"^(\w+)\s*=\s*(?:flask_principal\.)?Principal\((?!\s*app\b)", re.MULTILINE)


@dataclass
class FlaskAnalysis:
    # The legacy package's folder (None: a snippet with no package, as in the rule tests).
    root: Path | None = None
    # flask-login's login views: `""` for the app's, then per blueprint (None: answer 401).
    login_views: dict[str, str | None] = field(default_factory=dict)
    # flask-login's set-up, when given rather than read from `root` on first use.
    given_setup: LoginSetup | None = None
    # The package's route registrations, when given rather than read from `root` on first use.
    given_routes: RouteDiscovery | None = None
    package: str | None = None  # the dotted name SRC is imported as
    files: list[Path] = field(default_factory=list)  # the modules of SRC

    @cached_property
    def csrf_protected(self) -> bool | None:
        """Whether Flask-WTF's `CSRFProtect` guards every unsafe request of the app: False for a
        package that makes its own `Flask(...)` app and never mentions `CSRFProtect` (only its
        `FlaskForm`s check a token then); None when unknown (a snippet, an extension whose host
        app may install it)."""
        if self.root is None:
            return None
        texts = []
        for path in sorted(self.root.rglob("*.py")) if self.root.is_dir() else self.files:
            try:
                texts.append(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                continue
        if any("CSRFProtect" in text for text in texts):
            return True
        if any(re.search(r"\bFlask\(", text) for text in texts):
            return False
        return None

    @cached_property
    def imported_from(self) -> dict[tuple[str, ...], set[str]]:
        """The names the package's modules (not its tests) import from each of its modules
        (codemods/engine/package_imports.py)."""
        if self.root is None or not self.root.is_dir():
            return {}
        files = [p for p in self.files if not is_test_module(p.relative_to(self.root))]
        return imported_from(self.root, files, self.package)

    @cached_property
    def converters(self) -> dict[str, tuple[tuple[str, ...], str]]:
        """The app's own URL converters, registered anywhere in the package: name -> (the
        registering module's path parts, the converter class's name there)."""
        found: dict[str, tuple[tuple[str, ...], str]] = {}
        for parts, text in self.module_texts("url_map.converters"):
            for match in CONVERTER_REGISTRATION.finditer(text):
                found.setdefault(match.group(2), (parts, match.group(3)))
        return found

    @cached_property
    def csrf_exempted(self) -> list[tuple[tuple[str, ...], str]]:
        """What the package exempts from Flask-WTF's CSRF check (`csrf.exempt(catalog.bp)`):
        the module saying it (its path parts) and the expression exempted."""
        return [
            (parts, match.group(1))
            for parts, text in self.module_texts(".exempt(")
            for match in CSRF_EXEMPT.finditer(text)
        ]

    def module_texts(self, marker: str) -> Iterator[tuple[tuple[str, ...], str]]:
        """(path parts, text) of the package's modules (not its tests) whose text holds
        `marker`."""
        if self.root is None or not self.root.is_dir():
            return
        for path in self.files:
            relative = path.relative_to(self.root)
            if is_test_module(relative):
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if marker in text:
                yield relative.parts, text

    @cached_property
    def routes(self) -> RouteDiscovery:
        """Every route registration of the package (codemods/flask/route_discovery.py)."""
        if self.given_routes is not None:
            return self.given_routes
        if self.root is None:
            return RouteDiscovery()
        try:
            return discover(self.root, self.files, self.package)
        except Exception as error:  # the rules then see no registration, and the report says why
            return RouteDiscovery(
                error=f"routes could not be discovered: {type(error).__name__}: {error}"
            )

    @cached_property
    def derives_db_model(self) -> bool:
        """Whether a class of the package derives from `<db>.Model` itself (what the models
        rule converts onto the declarative `Base`). Without one (lemur: `BaseModel = db.Model`,
        models on `BaseModel`, kept as Flask-SQLAlchemy models), `db = SQLAlchemy()` stays:
        a `Base` nothing uses would only tie the output to SQLAlchemy 2.0."""
        if self.root is None:
            return True
        for path in self.files:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if MODEL_BASE.search(text):
                return True
        return False

    @cached_property
    def plain_forms(self) -> frozenset[str]:
        """The package's plain WTForms forms (on `wtforms.Form`, codemods/flask/plain_forms.py),
        across its modules (a form derived from one another module defines)."""
        texts = []
        for path in self.files:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if "Form" in text:
                texts.append(text)
        found: set[str] = set()
        while True:
            more = set().union(*(plain_form_classes(text, found) for text in texts)) - found
            if not more:
                return frozenset(found)
            found |= more

    @cached_property
    def principals(self) -> frozenset[str]:
        """Names the package binds to a Flask-Principal made without its app (its `init_app`
        is the principal rule's)."""
        found: set[str] = set()
        for path in self.files:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if "Principal(" in text:
                found.update(PRINCIPAL.findall(text))
        return frozenset(found)

    @cached_property
    def principal_ported(self) -> bool:
        """Whether the package registers a principal with `init_app` (converted by the principal
        rule): its permissions work in the dispatched Flask-RESTful resources."""
        for path in self.files:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if any(f"{name}.init_app(" in text for name in self.principals):
                return True
        return False

    @cached_property
    def login_setup(self) -> LoginSetup:
        if self.given_setup is not None:
            return self.given_setup
        return scan(self.root) if self.root is not None else LoginSetup()

    @cached_property
    def bridge(self) -> Bridge:
        """The package's generated `login_bridge.py`, or why there is none."""
        return render(self.login_setup)


def analyse(target: Target) -> FlaskAnalysis:
    return FlaskAnalysis(
        root=target.root,
        login_views=scan_login_views(target),
        package=source_package(target.root),
        files=list(target.files),
    )


def analysis_of(state: ModuleState) -> FlaskAnalysis:
    """The run's Flask analysis (an empty one for a module converted on its own)."""
    if not isinstance(state.analysis, FlaskAnalysis):
        state.analysis = FlaskAnalysis()
    return state.analysis


def scan_login_views(target: Target) -> dict[str, str | None]:
    """flask-login's login views, set in the app factory: `""` for the default, then per
    blueprint (`None`: answer 401). Read from the text of the whole package."""
    views: dict[str, str | None] = {}
    folder = target.root
    for path in sorted(folder.rglob("*.py")) if folder.is_dir() else target.files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for match in re.finditer(r"\.login_view\s*=\s*[\"']([\w.]+)[\"']", text):
            views[""] = match.group(1)
        for match in re.finditer(r"blueprint_login_views\s*=\s*\{([^}]*)\}", text):
            for key, value in re.findall(r"[\"'](\w+)[\"']\s*:\s*([^,]+)", match.group(1)):
                value = value.strip().strip("\"'")
                views[key] = None if value == "None" else value
    return views


def add_login_bridge(state: ModuleState) -> bool:
    """Have the generated `login_bridge.py` (and the `database.py` it imports) written beside
    the converted package; False when there is none."""
    bridge = analysis_of(state).bridge
    if bridge.code is None:
        return False
    state.extra_files[f"{MODULE}.py"] = bridge.code
    if f"{session_module(state)}.py" not in state.extra_files:
        add_database_module(state)
    return True


def session_plugged_in(state: ModuleState) -> bool:
    """Whether the generated package has the Flask session: its `login_bridge.py` plugs the
    session, CSRF and the templates' `current_user` in (`plug_in()`, run on import)."""
    return add_login_bridge(state)


def app_registrations(state: ModuleState, here: bool = False) -> list[Registration]:
    """The app registrations converted onto a module router: those whose view is in this module,
    or (`here`) those written in this module."""
    routes = analysis_of(state).routes
    found = [r for r in routes.registrations if r.converted_on_module_router]
    if here:
        return [r for r in found if r.module == state.module_path]
    return [r for r in found if r.view.module == state.module_path]


def legacy_plain_forms(state: ModuleState, tree: cst.Module) -> set[str]:
    """The plain WTForms forms of the module being converted (its legacy text; `tree`'s code
    when the runner gave none), found once for the rules that ask."""
    known = analysis_of(state).plain_forms
    source = state.legacy_code(tree)
    return state.once((plain_form_classes, known), lambda: plain_form_classes(source, known))
