"""What becomes of each URL pattern and function view: decided once from the analysis, so the
URLs rule and the function-views rule agree."""

from __future__ import annotations

from dataclasses import dataclass, field

from codemods.django.analysis import DjangoAnalysis, Include, ModulePath, UrlPattern, ViewInfo
from codemods.django.class_views import ClassViewPlan, plan_class
from codemods.django.decorators import KEPT
from codemods.django.drf import class_reason, drf_base, drf_decorator, function_reason
from codemods.django.paths import FastAPIPath, convert, prefix_path
from codemods.engine.findings import Status

ORM_REASON = "queries run on Django's ORM (the view's code runs unchanged on the Django request)"
CLASS_REASON = (
    "class-based view {name} runs unchanged on the Django runtime (its generic views' code, "
    "queries on Django's ORM, templates by Django's engine)"
)
ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass
class RoutePlan:
    pattern: UrlPattern
    own_path: FastAPIPath  # the pattern's own route, relative to its URLconf's router
    full_path: FastAPIPath  # with the include prefixes: the path it is served at
    status: Status = Status.partial
    reasons: list[str] = field(default_factory=list)
    info: ViewInfo | None = None
    view_class: ClassViewPlan | None = None  # set for a class-based view that is served
    view_types: dict[str, str] = field(default_factory=dict)  # a function view's parameters

    @property
    def retyped(self) -> dict[str, str]:
        """The path parameters this route gives a function view with another type than its
        signature's (`<int:pk>` first, then `(?P<pk>[0-9]+)`: a string, as Django passes it)."""
        if self.info is None:
            return {}
        own = self.own_path.params
        return {n: t for n, t in own.items() if self.view_types.get(n, t) != t}

    @property
    def view_kwargs(self) -> str | None:
        """The extra keyword arguments the route gives a function view (`{"slug": ""}`)."""
        return self.pattern.view_kwargs if self.info is not None else None

    @property
    def registered(self) -> bool:
        """Added to its URLconf's router (a function or class view whose own path converts)."""
        served = self.info is not None or self.view_class is not None
        return served and self.own_path.problem is None

    @property
    def methods(self) -> tuple[str, ...]:
        if self.view_class is not None:
            return self.view_class.methods
        assert self.info is not None
        if self.info.login_before_methods:
            return ALL_METHODS  # the view's methods are checked after the login
        return self.info.methods or ALL_METHODS

    @property
    def csrf_exempt(self) -> bool:
        if self.view_class is not None:
            return self.view_class.csrf_exempt
        assert self.info is not None
        return self.info.csrf_exempt

    @property
    def dependencies(self) -> list[str]:
        """Route dependencies, in the order Django checks: CSRF (middleware), then the login
        (`LoginRequired`), the view's methods when its login decorator is above them
        (`methods:GET,POST`: Django's 405 after the login), or the class's access mixins
        (`access:<mixin>`)."""
        found = []
        if not self.csrf_exempt and not set(self.methods) <= SAFE_METHODS:
            found.append("CsrfProtected")
        if self.info is not None and self.info.login_required:
            found.append("LoginRequired")
        if self.info is not None and self.info.login_before_methods and self.info.methods:
            found.append("methods:" + ",".join(self.info.methods))
        if self.view_class is not None:
            found += [f"access:{mixin}" for mixin in self.view_class.mixins]
        return found


def prefix_problem(include: Include) -> str | None:
    """Why an include's own route cannot be a FastAPI router prefix (None: it can). A regex
    prefix can when it is anchored (`^topic/`: Django searches an unanchored one anywhere in
    the path) and literal text."""
    text = include.part.text
    if include.part.regex and not text.startswith("^"):
        return f"include prefix {text!r} is a regex without ^: Django finds it anywhere in the path"
    converted = prefix_path(include.part)
    if converted.problem:
        return converted.problem
    if include.part.regex and converted.params:
        return f"include prefix {text!r} has named groups: not converted yet"
    if text and not converted.path.endswith("/"):
        return f"include prefix {text!r} does not end with '/'"
    return None


def fastapi_prefix(include: Include) -> str:
    return prefix_path(include.part).path.rstrip("/")


def view_types(analysis: DjangoAnalysis, module: ModulePath, name: str) -> dict[str, str] | str:
    """The typed path parameters of a function view, from all its patterns; or why it cannot
    be served as a route."""
    info = analysis.views.get((module, name))
    if info is None:
        return f"view {name} is not a module-level function of its module"
    decorator = drf_decorator(info.others)
    if decorator is not None:
        return function_reason(name, decorator)
    if info.is_async:
        return f"async view {name}: not converted yet"
    if not info.params:
        return f"view {name} takes no request parameter"
    types: dict[str, str] = {}
    given: set[str] = set()  # what a pattern's extra kwargs give the view
    for pattern in analysis.patterns_of_view(module, name):
        own = convert(pattern.parts[-1:])
        if own.problem:
            continue
        given.update(pattern.view_kwargs_keys or ())
        for param, python_type in own.params.items():
            # the function takes the first pattern's types; a route whose path gives another
            # type gets its own (`RoutePlan.retyped`), as Django passes each path's values
            types.setdefault(param, python_type)
    if info.star_args and any(
        convert(p.parts[-1:]).params or convert(p.parts[-1:]).problem
        for p in analysis.patterns_of_view(module, name)
    ):  # Django would pass the path's values through them
        return f"view {name} takes *args/**kwargs and a path gives it parameters"
    accepted = set(info.params[1:])
    unknown = sorted(set(types) - accepted)
    if unknown:
        return f"view {name} does not take the path parameter(s) {', '.join(unknown)}"
    missing = sorted(set(info.required[1:]) - set(types) - given)
    if missing:
        return f"view {name} needs {', '.join(missing)}, which no path gives"
    return types


def plan(analysis: DjangoAnalysis, pattern: UrlPattern) -> RoutePlan:
    own, full = convert(pattern.parts[-1:]), convert(pattern.parts)
    result = RoutePlan(pattern, own, full)
    view = pattern.view
    if pattern.note:
        result.reasons.append(pattern.note)
    if pattern.by_hand is not None:
        result.status = Status.manual
        result.reasons.append(pattern.by_hand)
        return result
    if view.kind == "class":
        return _plan_class_view(analysis, result)
    if view.kind == "include":
        result.status = Status.manual
        result.reasons.append(
            f"{view.name}: a URLconf outside SRC; its patterns stay on the legacy side"
        )
        return result
    if view.kind == "other" or view.module is None:
        result.status = Status.manual
        result.reasons.append(
            f"{view.name or 'this entry'}: not a view the codemod converts (served by the "
            "legacy side)"
        )
        return result
    problem = own.problem or full.problem
    if problem is None:
        for include in _includes_above(analysis, pattern):
            problem = problem or prefix_problem(include)
    types = view_types(analysis, view.module, view.name)
    if isinstance(types, str):
        problem = problem or types
    if problem is not None:
        result.status = Status.manual
        result.reasons.append(problem)
        return result
    info = analysis.views[(view.module, view.name)]
    extra = pattern.view_kwargs_keys or ()
    if pattern.view_kwargs is not None and pattern.view_kwargs_keys is None:
        problem = f"extra view arguments {pattern.view_kwargs}: not a dict with literal keys"
    else:
        missing = sorted(set(info.required[1:]) - set(own.params) - set(extra))
        if missing:  # Django would raise TypeError: the view needs them
            problem = f"this path gives view {view.name} no {', '.join(missing)}"
    if problem is not None:
        result.status = Status.manual
        result.reasons.append(problem)
        return result
    result.info = info
    assert isinstance(types, dict)
    result.view_types = types
    if result.info.uses_orm:
        result.reasons.append(ORM_REASON)
        result.reasons.extend(
            f"stays on Django's ORM: {reason}" for reason in result.info.orm_reasons
        )
    kept = dict(result.info.decorator_reasons)
    for decorator in result.info.others:
        why = kept.get(decorator, KEPT.format(code=decorator))
        if why is not None:  # a decorator that answers as in Django needs no reason
            result.reasons.append(why)
    if not result.reasons:  # no ORM, nothing kept as written: verification decides the rest
        result.status = Status.converted
    return result


def _includes_above(analysis: DjangoAnalysis, pattern: UrlPattern) -> list[Include]:
    """The includes a pattern is reached through (matched by their own route parts)."""
    chain = pattern.parts[:-1]
    return [i for i in analysis.includes if i.part in chain]


def _plan_class_view(analysis: DjangoAnalysis, result: RoutePlan) -> RoutePlan:
    pattern = result.pattern
    view = pattern.view
    found = plan_class(analysis, view.module, view.name)
    base = drf_base(found.unknown_bases)
    if base is not None:
        result.status = Status.manual
        result.reasons.append(class_reason(view.name, base))
        return result
    problem = result.own_path.problem or result.full_path.problem or found.problem
    if problem is None:
        for include in _includes_above(analysis, pattern):
            problem = problem or prefix_problem(include)
    if problem is not None:
        result.status = Status.manual
        result.reasons.append(
            f"class-based view {view.name}: {problem} (served by the legacy side)"
        )
        return result
    result.view_class = found
    result.reasons.append(CLASS_REASON.format(name=view.name))
    for mixin in found.mixins:
        result.reasons.append(
            f"{mixin} is checked before the view by the route dependency access_guard "
            "(it leaves the class's bases)"
        )
    for base in found.unknown_bases:
        result.reasons.append(
            f"base {base} is not a Django class the codemod knows: it runs as written, the "
            "route's methods come from the other bases"
        )
    return result


def classes_losing_mixins(analysis: DjangoAnalysis) -> set[tuple[ModulePath, str]]:
    """The classes of SRC whose access mixins become route dependencies: those in the bases of
    a class-based view that a URLconf serves (a class no served route reaches keeps them)."""
    found: set[tuple[ModulePath, str]] = set()
    for pattern in analysis.patterns:
        if pattern.view.kind != "class":
            continue
        item = plan(analysis, pattern)
        if item.registered and item.view_class is not None:
            found.update(item.view_class.guarded)
    return found
