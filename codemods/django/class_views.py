"""What a class-based view answers, read from its class and its bases without importing it: the
HTTP methods Django serves for it, and the access mixins that become route dependencies.

Django's `View.dispatch` calls the method named after the request's method, HEAD falls back to
`get`, `options` is always there, and anything else is 405. The generic views bring their own
handlers (`ListView`: get; `CreateView`: get, post, put; ...); a class of SRC adds the ones it
defines. `LoginRequiredMixin`, `PermissionRequiredMixin` and `UserPassesTestMixin` are checked
before the view as FastAPI dependencies (`access_guard`) and leave the class's bases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codemods.django.analysis import ClassBase, ClassInfo, DjangoAnalysis, ModulePath
from codemods.django.manager_dispatch import dispatch_reason

HANDLERS = ("get", "post", "put", "patch", "delete", "head", "options")
# Django's generic views (django.views.generic) and the handlers each one defines.
GENERIC_HANDLERS: dict[str, tuple[str, ...]] = {
    "View": ("options",),
    "TemplateView": ("get", "options"),
    "RedirectView": ("get", "head", "post", "options", "delete", "put", "patch"),
    "ListView": ("get", "options"),
    "DetailView": ("get", "options"),
    "ArchiveIndexView": ("get", "options"),
    "YearArchiveView": ("get", "options"),
    "MonthArchiveView": ("get", "options"),
    "WeekArchiveView": ("get", "options"),
    "DayArchiveView": ("get", "options"),
    "TodayArchiveView": ("get", "options"),
    "DateDetailView": ("get", "options"),
    "FormView": ("get", "post", "put", "options"),
    "CreateView": ("get", "post", "put", "options"),
    "UpdateView": ("get", "post", "put", "options"),
    "DeleteView": ("get", "post", "delete", "options"),
    # django.contrib.auth's TemplateViews that read no model (a title, LOGIN_URL), and its
    # LogoutView (the session's flush is the Django runtime's, as `logout()` in a view is)
    "PasswordResetDoneView": ("get", "options"),
    "PasswordResetCompleteView": ("get", "options"),
    "LogoutView": ("post", "options"),
    # django.contrib.auth's FormViews, whose forms read or write the users (AUTH_FORM_VIEWS)
    "LoginView": ("get", "post", "put", "options"),
    "PasswordResetView": ("get", "post", "put", "options"),
    "PasswordResetConfirmView": ("get", "post", "put", "options"),
    "PasswordChangeView": ("get", "post", "put", "options"),
}
AUTH_FORM_VIEWS = frozenset(
    {"LoginView", "PasswordResetView", "PasswordResetConfirmView", "PasswordChangeView"}
)
# Generic views that read their objects through Django's ORM (`model`, `queryset`).
MODEL_GENERICS = frozenset(
    {
        "ListView", "DetailView", "ArchiveIndexView", "YearArchiveView", "MonthArchiveView",
        "WeekArchiveView", "DayArchiveView", "TodayArchiveView", "DateDetailView", "CreateView",
        "UpdateView", "DeleteView",
    }
)  # fmt: skip
DATE_GENERICS = frozenset(
    {
        "ArchiveIndexView", "YearArchiveView", "MonthArchiveView", "WeekArchiveView",
        "DayArchiveView", "TodayArchiveView", "DateDetailView",
    }
)  # fmt: skip
FORM_GENERICS = frozenset({"FormView", "CreateView", "UpdateView"})
PLAIN_FORMS = frozenset({"Form", "BaseForm"})  # django.forms bases that query nothing
MODEL_FORMS = frozenset({"ModelForm", "BaseModelForm"})
ACCESS_MIXINS = ("LoginRequiredMixin", "PermissionRequiredMixin", "UserPassesTestMixin")
MIXINS_MODULE = "django.contrib.auth.mixins"


@dataclass
class ClassViewPlan:
    methods: tuple[str, ...] = ()  # upper case, in Django's order
    mixins: tuple[str, ...] = ()  # access mixins, in the order Django checks them
    generics: tuple[str, ...] = ()  # the Django generic views it is built on
    unknown_bases: tuple[str, ...] = ()  # outside classes the codemod does not know
    guarded: tuple[tuple[ModulePath, str], ...] = ()  # classes of SRC whose bases hold a mixin
    csrf_exempt: bool = False
    problem: str | None = None  # why it cannot be served (None: it can)
    handlers: set[str] = field(default_factory=set)
    # what keeps it on Django's ORM (its own code, its generic views, its form); empty: nothing
    orm_reasons: list[str] = field(default_factory=list)
    # the querying code of SRC's other modules its classes call (SQLAlchemy rows leave them)
    outside_queries: list[str] = field(default_factory=list)
    form_class: ClassBase | None = None  # the first `form_class` of the class and its bases
    rows: bool = False  # its objects become SQLAlchemy rows (class_rows.py, set by plans.py)
    session: bool = False  # its methods' queries become select() (class_queries.py, plans.py)
    # the route serves this twin of the class, its mixins' queries on the session
    # (session_twins.py, set by plans.py); "": the class itself
    twin: str = ""
    # that twin holds its handlers specialized to its class attributes (handler_twins.py)
    specialized: bool = False


def plan_class(analysis: DjangoAnalysis, module: ModulePath | None, name: str) -> ClassViewPlan:
    """The plan of the view class `name` of `module` (None: a class from outside SRC)."""
    result = ClassViewPlan()
    mixins: list[str] = []
    generics: list[str] = []
    unknown: list[str] = []
    guarded: list[tuple[ModulePath, str]] = []

    def outside(dotted: str) -> None:
        last = dotted.rsplit(".", 1)[-1]
        if last in ACCESS_MIXINS:
            if last not in mixins:
                mixins.append(last)
        elif last in GENERIC_HANDLERS:
            generics.append(last)
            result.handlers.update(GENERIC_HANDLERS[last])
        elif last != "object":
            unknown.append(dotted)

    strings: dict[str, str] = {}  # class attributes, as the view's attribute lookup finds them
    dispatched: list[tuple[str, str, str]] = []  # (class, model, attribute)

    def walk(key: tuple[ModulePath, str], seen: tuple[tuple[ModulePath, str], ...]) -> None:
        info: ClassInfo | None = analysis.classes.get(key)
        if info is None or key in seen:
            return
        result.handlers.update(m for m in info.methods if m in HANDLERS)
        for attribute, value in info.strings:
            strings.setdefault(attribute, value)
        dispatched.extend((key[1], model, attribute) for model, attribute in info.dispatches)
        if info.orm_uses:
            result.orm_reasons.append(f"{key[1]} reaches Django's ORM: {', '.join(info.orm_uses)}")
        result.outside_queries += [f"{key[1]}: {reason}" for reason in info.outside_queries]
        if result.form_class is None and info.form_class is not None:
            result.form_class = info.form_class
        if any("csrf_exempt" in d for d in info.decorators):
            result.csrf_exempt = True
        if any(b.module is None and b.name.rsplit(".", 1)[-1] in ACCESS_MIXINS for b in info.bases):
            guarded.append(key)
        for base in info.bases:
            if base.module is not None:
                walk((base.module, base.name), (*seen, key))
            else:
                outside(base.name)

    if module is None:
        outside(name)
    elif (module, name) not in analysis.classes:
        result.problem = f"view {name} is not a module-level class of its module"
        return result
    else:
        walk((module, name), ())
    result.orm_reasons[:0] = [
        dispatch_reason(name, owner, model, attribute, strings.get(attribute), sources)
        for owner, model, attribute in dispatched
        for sources in [analysis.models_sources]
    ]
    result.orm_reasons += result.outside_queries
    result.mixins, result.generics = tuple(mixins), tuple(generics)
    result.unknown_bases, result.guarded = tuple(unknown), tuple(guarded)
    if not generics:
        result.problem = (
            f"class {name} is not built on a Django view the codemod knows"
            f" (bases outside SRC: {', '.join(unknown) or 'none'})"
        )
        return result
    if "get" in result.handlers:
        result.handlers.add("head")
    result.methods = tuple(m.upper() for m in HANDLERS if m in result.handlers)
    for generic in generics:
        if generic in MODEL_GENERICS:
            result.orm_reasons.append(
                f"generic view {generic} reads its objects through Django's ORM"
            )
        elif generic in AUTH_FORM_VIEWS:
            result.orm_reasons.append(
                f"django.contrib.auth's {generic} reads or writes the users through Django's "
                "ORM (its forms)"
            )
    if result.form_class is not None and FORM_GENERICS & set(generics):
        result.orm_reasons += form_orm_reasons(analysis, result.form_class)
    return result


def form_orm_reasons(analysis: DjangoAnalysis, form: ClassBase) -> list[str]:
    """What keeps a view's form class on Django's ORM: a ModelForm, a model-backed field, a
    query of its own, a base the codemod does not know (empty: a plain `forms.Form`)."""
    reasons: list[str] = []

    def walk(key: tuple[ModulePath, str], seen: tuple[tuple[ModulePath, str], ...]) -> None:
        info = analysis.classes.get(key)
        if info is None or key in seen:
            reasons.append(f"form {key[1]} is not a module-level class the codemod reads")
            return
        if info.orm_uses:
            reasons.append(f"form {key[1]} reaches Django's ORM: {', '.join(info.orm_uses)}")
        reasons.extend(f"form {key[1]}: {reason}" for reason in info.outside_queries)
        for base in info.bases:
            if base.module is not None:
                walk((base.module, base.name), (*seen, key))
                continue
            last = base.name.rsplit(".", 1)[-1]
            if last in MODEL_FORMS:
                reasons.append(f"form {key[1]} is a {last}: it saves through Django's ORM")
            elif last not in PLAIN_FORMS and last != "object":
                reasons.append(
                    f"form {key[1]} is built on {base.name}, which the codemod does not know"
                )

    if form.module is None:
        return [f"form {form.name} is outside SRC: what it queries is not known"]
    walk((form.module, form.name), ())
    return reasons
