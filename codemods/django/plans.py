"""What becomes of each URL pattern and function view: decided once from the analysis, so the
URLs rule and the function-views rule agree."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from codemods.django.analysis import (
    DjangoAnalysis,
    Include,
    ModulePath,
    RoutePart,
    UrlPattern,
    ViewInfo,
)
from codemods.django.class_queries import QUERY_GENERICS, handler_queries
from codemods.django.class_rows import LIST_GENERICS, ROW_GENERICS, rows_plan
from codemods.django.class_views import ClassViewPlan, plan_class
from codemods.django.decorators import KEPT
from codemods.django.drf import (
    ALL_METHODS,
    api_view_handlers,
    drf_base,
    drf_decorator,
    drf_policy_decorator,
    function_orm_reason,
    plan_drf_class,
    viewset_actions_handlers,
)
from codemods.django.drf_session import drf_session_candidate, drf_twinned_reasons, drf_twins
from codemods.django.handler_twins import handler_twin_plan
from codemods.django.paths import FastAPIPath, convert, prefix_path
from codemods.django.session_twins import twin_plan
from codemods.engine.findings import Status
from codemods.engine.route_translation import is_translation_note

ORM_REASON = "queries run on Django's ORM (the view's code runs unchanged on the Django request)"
CLASS_REASON = (
    "class-based view {name} runs unchanged on the Django runtime (its generic views' code, "
    "queries on Django's ORM, templates by Django's engine)"
)
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
    # the methods a Django REST framework view has handlers for (its route takes every method:
    # DRF answers the others with its JSON 405); None: not a DRF view
    drf_handlers: tuple[str, ...] | None = None
    view_types: dict[str, str] = field(default_factory=dict)  # a function view's parameters
    # the reason of a route marked for translation, held apart (route_translation.py)
    translation: str | None = None

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


def prefix_problem(prefix: Include | RoutePart) -> str | None:
    """Why an include's own route (of SRC's URLconfs, or of a site's outside SRC) cannot be a
    FastAPI router prefix (None: it can). A regex prefix can when it is anchored (`^topic/`:
    Django searches an unanchored one anywhere in the path) and literal text."""
    part = prefix.part if isinstance(prefix, Include) else prefix
    text = part.text
    if part.regex and not text.startswith("^"):
        return f"include prefix {text!r} is a regex without ^: Django finds it anywhere in the path"
    converted = prefix_path(part)
    if converted.problem:
        return converted.problem
    if part.regex and converted.params:
        return f"include prefix {text!r} has named groups: not converted yet"
    if text and not converted.path.endswith("/"):
        return f"include prefix {text!r} does not end with '/'"
    return None


def fastapi_prefix(prefix: Include | RoutePart) -> str:
    return prefix_path(prefix.part if isinstance(prefix, Include) else prefix).path.rstrip("/")


def view_types(
    analysis: DjangoAnalysis, module: ModulePath, name: str, *, api_view: bool = False
) -> dict[str, str] | str:
    """The typed path parameters of a function view, from all its patterns; or why it cannot
    be served as a route (the function-views rule's endpoint; `api_view`: an `@api_view`
    function too, which DRF's dispatch serves as it is)."""
    info = analysis.views.get((module, name))
    if info is None:
        return f"view {name} is not a module-level function of its module"
    if not api_view and drf_decorator(info.others) is not None:
        return f"view {name} is a Django REST framework view: DRF's dispatch serves it as written"
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
        if own.optional_convertors:  # FastAPI would pass None where Django passes nothing
            return f"view {name}: a path's optional group is not converted for function views"
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
    """The route's plan; a route marked for translation is planned as its untranslated route,
    the reason held (`translation`) until the verification settles it (route_translation.py)."""
    if not is_translation_note(pattern.note):
        return _plan(analysis, pattern)
    result = _plan(analysis, replace(pattern, note=None))
    result.pattern = pattern
    result.translation = pattern.note
    return result


def _plan(analysis: DjangoAnalysis, pattern: UrlPattern) -> RoutePlan:
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
        for prefix in _prefixes_above(analysis, pattern):
            problem = problem or prefix_problem(prefix)
    types = view_types(analysis, view.module, view.name, api_view=True)
    if isinstance(types, str):
        problem = problem or types
    if problem is not None:
        result.status = Status.manual
        result.reasons.append(problem)
        return result
    info = analysis.views[(view.module, view.name)]
    decorator = drf_decorator(info.others)
    if decorator is not None:
        return _plan_api_view(result, info, decorator)
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


def _prefixes_above(analysis: DjangoAnalysis, pattern: UrlPattern) -> list[RoutePart]:
    """The include prefixes a pattern is reached through (matched by their own route parts):
    SRC's includes, and the site's include of its root outside SRC."""
    chain = pattern.parts[:-1]
    mounts = [part for part in analysis.root_prefixes.values() if part in chain]
    return [*mounts, *(i.part for i in analysis.includes if i.part in chain)]


def _plan_class_view(analysis: DjangoAnalysis, result: RoutePlan) -> RoutePlan:
    pattern = result.pattern
    view = pattern.view
    found = plan_class(analysis, view.module, view.name)
    if drf_base(found.unknown_bases) is not None:
        found.problem = None  # DRF's own views: the DRF runtime serves them
    problem = result.own_path.problem or result.full_path.problem or found.problem
    if problem is None:
        for prefix in _prefixes_above(analysis, pattern):
            problem = problem or prefix_problem(prefix)
    if problem is not None:
        result.status = Status.manual
        result.reasons.append(
            f"class-based view {view.name}: {problem} (served by the legacy side)"
        )
        return result
    if drf_base(found.unknown_bases) is not None:
        return _plan_drf_class(analysis, result, found)
    result.view_class = found
    if found.orm_reasons and view.module is not None and ROW_GENERICS.keys() & set(found.generics):
        rows = rows_plan(analysis, view.module, view.name)
        if rows.reasons:
            found.orm_reasons += [f"SQLAlchemy rows cannot stand in: {r}" for r in rows.reasons]
        else:  # its objects become SQLAlchemy rows (class_rows.py): no ORM left but the
            found.orm_reasons = list(found.outside_queries)  # other modules' it calls
            found.rows = True
    twinned = drf_twinned_reasons(analysis, view.module, view.name) if view.module else set()
    if view.module is not None and _own_queries_only(found, view.name, twinned):
        queries = handler_queries(analysis, view.module, view.name)
        if queries.reasons:
            found.orm_reasons += [f"{QUERIES_KEPT}: {r}" for r in queries.reasons]
        else:  # its methods' queries become select() on the route's session (class_queries.py)
            found.orm_reasons, found.session = [], True
    if view.module is not None and _mixins_query(found):
        twin = twin_plan(analysis, view.module, view.name)
        if not twin.reasons:  # its route serves a twin on the session (session_twins.py)
            found.orm_reasons, found.twin = [], twin.twin
        elif twin.lookup:  # the shape it converts: say what keeps it
            found.orm_reasons += [f"{TWIN_KEPT}: {r}" for r in twin.reasons]
    if view.module is not None and _handlers_query(found, view.name):
        handlers = handler_twin_plan(analysis, view.module, view.name)
        if not handlers.reasons:  # a twin with its handlers specialized (handler_twins.py)
            found.orm_reasons, found.twin, found.specialized = [], handlers.twin, True
        elif handlers.shape:  # a mixin's handler queries: say what keeps it
            found.orm_reasons += [f"{HANDLERS_KEPT}: {r}" for r in handlers.reasons]
    if not found.orm_reasons and not found.unknown_bases and not result.reasons:
        # its code and its generic views' reach no ORM: it runs as written on the Django
        # request, as a function view with no query does; verification decides the rest
        result.status = Status.converted
        return result
    result.reasons.append(CLASS_REASON.format(name=view.name))
    result.reasons.extend(f"stays on Django's ORM: {reason}" for reason in found.orm_reasons)
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


QUERIES_KEPT = "its methods' queries cannot become select()"
TWIN_KEPT = "its mixins' row lookup cannot move to the session"
HANDLERS_KEPT = "its mixins' handlers cannot be specialized to it on the session"


def _handlers_query(found: ClassViewPlan, name: str) -> bool:
    """A plain generic view reaching the ORM through its own module's mixins (not its own code
    alone: class_queries.py's, nor its form, generic views or other modules' querying code),
    not converted another way."""
    return (
        bool(found.orm_reasons)
        and not _own_queries_only(found, name)
        and not (found.rows or found.session or found.twin)
        and not found.outside_queries
        and found.form_class is None
        and set(found.generics) <= QUERY_GENERICS
    )


def _mixins_query(found: ClassViewPlan) -> bool:
    """A plain `TemplateView` (or a list or date-archive view whose objects did not become
    rows alone) reaching the ORM through its own module's classes only (not its form, generic
    views or other modules' querying code)."""
    return (
        bool(found.orm_reasons)
        and not found.rows
        and not found.session
        and not found.outside_queries
        and len(found.generics) == 1
        and found.generics[0] in {"TemplateView", *LIST_GENERICS}
    )


def _own_queries_only(found: ClassViewPlan, name: str, twinned: set[str] | None = None) -> bool:
    """Only the class's own code reaches the ORM (not its bases, generic views, form or the
    querying code of other modules but the helpers its methods on `self` call that get
    translated twins, `twinned`: their reasons, which the twins clear), on a plain generic
    view."""
    own = f"{name} reaches Django's ORM: "
    cleared = {reason.removeprefix("stays on Django's ORM: ") for reason in twinned or ()}
    return (
        bool(found.orm_reasons)
        and all(reason.startswith(own) or reason in cleared for reason in found.orm_reasons)
        and not found.rows
        and set(found.generics) <= QUERY_GENERICS
    )


def _plan_drf_class(analysis: DjangoAnalysis, result: RoutePlan, found: ClassViewPlan) -> RoutePlan:
    """A class on Django REST framework's views: `View.as_view()` served by DRF's dispatch; the
    route takes every method (DRF answers 405 itself) and no CSRF dependency (DRF's
    `SessionAuthentication` checks it)."""
    view = result.pattern.view
    drf = plan_drf_class(analysis, view.module, view.name)
    found.methods, found.csrf_exempt = ALL_METHODS, True
    result.view_class = found
    if not result.pattern.view_code.startswith("drf_route("):  # a router's: its actions
        bound = viewset_actions_handlers(result.pattern.view_code)  # ViewSet.as_view({...})
        result.drf_handlers = drf.handlers if bound is None else bound
    module = view.module
    twinned = drf_twinned_reasons(analysis, module, view.name) if module else set()
    if (
        (drf.reaching == (view.name,) or (not drf.reaching and twinned))
        and module
        and drf_session_candidate(analysis, module, view.name)
    ):
        queries = handler_queries(analysis, module, view.name)
        if not queries.reasons:  # its handlers' queries become select() (drf_session.py),
            # its calls of other modules' twinned helpers take its session
            drf.orm_reasons = [r for r in drf.outside if r not in twinned]
            found.session = True
        else:
            drf.orm_reasons += [
                f"stays on Django's ORM: {QUERIES_KEPT}: {r}" for r in queries.reasons
            ]
    result.reasons.extend(drf.orm_reasons)
    result.reasons.extend(
        f"stays on Django's ORM: base {base} is outside SRC and not Django REST framework's: "
        "its code runs as written, what it queries is not read"
        for base in found.unknown_bases
        if drf_base([base]) is None
    )
    for mixin in found.mixins:
        result.reasons.append(
            f"{mixin} is checked before the view by the route dependency access_guard "
            "(it leaves the class's bases)"
        )
    result.status = Status.partial if result.reasons else Status.converted
    return result


def _plan_api_view(result: RoutePlan, info: ViewInfo, decorator: str) -> RoutePlan:
    """An `@api_view` function: its module-level name is DRF's view (`WrappedAPIView.as_view()`),
    served as a class-based view is."""
    name = result.pattern.view.name
    result.view_class = ClassViewPlan(methods=ALL_METHODS, csrf_exempt=True)
    result.drf_handlers = api_view_handlers(decorator)
    if info.uses_orm:
        result.reasons.append(function_orm_reason(name))
    kept = [d for d in info.others if d != decorator and not drf_policy_decorator(d)]
    for other in kept:
        result.reasons.append(f"decorator @{other} kept as written: check it on the route")
    result.status = Status.partial if result.reasons else Status.converted
    return result


def classes_losing_mixins(analysis: DjangoAnalysis) -> set[tuple[ModulePath, str]]:
    """The classes of SRC whose access mixins become route dependencies: those in the bases of
    a class-based view that a URLconf serves (a class no served route reaches keeps them)."""
    found: set[tuple[ModulePath, str]] = set()
    for _, view_class in _served_class_plans(analysis):
        found.update(view_class.guarded)
    return found


def _served_classes(
    analysis: DjangoAnalysis,
) -> Iterator[tuple[tuple[ModulePath, str], ClassViewPlan]]:
    """(module, name) and plan of each class-based view a URLconf serves."""
    for pattern, view_class in _served_class_plans(analysis):
        if pattern.view.module is not None:
            yield (pattern.view.module, pattern.view.name), view_class


def _served_class_plans(analysis: DjangoAnalysis) -> list[tuple[UrlPattern, ClassViewPlan]]:
    """Each class-based view pattern a URLconf serves, with its class's plan: planned once a run
    (the rules of every module ask; the plans are read, never changed, by these callers)."""
    cached: list[tuple[UrlPattern, ClassViewPlan]] | None = vars(analysis).get(
        "_served_class_plans"
    )
    if cached is not None:
        return cached
    found = []
    for pattern in analysis.patterns:
        if pattern.view.kind != "class":
            continue
        item = plan(analysis, pattern)
        if item.registered and item.view_class is not None:
            found.append((pattern, item.view_class))
    vars(analysis)["_served_class_plans"] = found
    return found


def classes_on_session(analysis: DjangoAnalysis) -> set[tuple[ModulePath, str]]:
    """The served class-based views whose methods' queries become select() (class_queries.py)."""
    return {key for key, view_class in _served_classes(analysis) if view_class.session}


def classes_with_twins(analysis: DjangoAnalysis) -> dict[tuple[ModulePath, str], str]:
    """The served class-based views whose routes serve a twin on the session, with its name
    (session_twins.py)."""
    return {
        key: view_class.twin
        for key, view_class in _served_classes(analysis)
        if view_class.twin and not view_class.specialized
    }


def classes_with_handler_twins(analysis: DjangoAnalysis) -> set[tuple[ModulePath, str]]:
    """The served class-based views whose routes serve a twin of specialized handlers
    (handler_twins.py)."""
    return {key for key, view_class in _served_classes(analysis) if view_class.specialized}


def classes_on_rows(analysis: DjangoAnalysis) -> set[tuple[ModulePath, str]]:
    """The served class-based views whose objects become SQLAlchemy rows (class_rows.py)."""
    return {key for key, view_class in _served_classes(analysis) if view_class.rows}


def class_helper_twins(analysis: DjangoAnalysis) -> dict[ModulePath, set[str]]:
    """Helper module -> the functions and static methods twinned there for the DRF views on the
    session calling them (drf_session.py), once a run."""
    cached: dict[ModulePath, set[str]] | None = vars(analysis).get("_class_helper_twins")
    if cached is not None:
        return cached
    found: dict[ModulePath, set[str]] = {}
    for module, name in classes_on_session(analysis):
        for call in drf_twins(analysis, module, name):
            found.setdefault(call.module, set()).add(call.name)
    vars(analysis)["_class_helper_twins"] = found
    return found


def form_view_twins(analysis: DjangoAnalysis) -> dict[ModulePath, set[str]]:
    """Forms module -> the ModelForms twinned there for the served CreateView/UpdateView classes
    saving rows (form_views.py), once a run."""
    cached: dict[ModulePath, set[str]] | None = vars(analysis).get("_form_view_twins")
    if cached is not None:
        return cached
    found: dict[ModulePath, set[str]] = {}
    for module, name in classes_on_rows(analysis):
        twin = rows_plan(analysis, module, name).form_twin
        if twin is not None:
            found.setdefault(twin.module, set()).add(twin.name)
    vars(analysis)["_form_view_twins"] = found
    return found
