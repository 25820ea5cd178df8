"""The legacy side of verification for Django (run in the verification's child process): set the
project up from its settings module on a database of the sandbox, serve it through Django's WSGI
handler, build a URL per route name, and keep the exceptions its views raise. See
codemods/engine/verify/probe.py.

The settings module is `DJANGO_SETTINGS_MODULE` (`--settings` sets it for the child), else the
one the project's `manage.py`/`wsgi.py`/`asgi.py` names. The user's databases are never opened:
each SQLite database becomes a copy in the sandbox (an empty file when there is none), every other
database an empty SQLite file, and `migrate` then brings each to the project's models. The new
side runs in the same process, so it reads and writes the same copies.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import sys
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

SETTINGS_ENV = "DJANGO_SETTINGS_MODULE"
MAX_TRIES = 200
SETTINGS_CALL = re.compile(r"""["']DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']""")
SQLITE_ENGINE = "django.db.backends.sqlite3"
LOCMEM_CACHE = "django.core.cache.backends.locmem.LocMemCache"
FILE_CACHE = "django.core.cache.backends.filebased.FileBasedCache"
# Caches that write nothing outside the process or the sandbox's database.
KEPT_CACHES = (
    LOCMEM_CACHE,
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.db.DatabaseCache",
)
LOCMEM_EMAIL = "django.core.mail.backends.locmem.EmailBackend"
# What Django's own documentation sets to speed up a test run ("Speeding up the tests"): a
# password hashed with the default PBKDF2 costs a million iterations, some 0.2 s of CPU, on each
# side for every submission that sets or checks one (django-spirit's form pass: a fifth of it).
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
# The runtime packages generated Django code imports (the child imports them while the codemod
# converts).
RUNTIME = ("codemods.runtime.common", "codemods.runtime.django")
# Imported before the project is known (by the warm verification server once, else while the
# codemod converts): what this module imports when called, Django's own modules every project's
# verification imports (none reads the settings at import), and what settings modules commonly
# import (dj_database_url, getpass, Jinja).
LIBRARIES = (
    "codemods.django.paths",
    "codemods.django.regex_sample",
    "codemods.django.url_patterns",
    "codemods.django.verify_migrated",
    "codemods.django.verify_mail",
    "codemods.django.verify_seed",
    "codemods.django.verify_user",
    "codemods.django.verify_forms",
    "codemods.django.verify_rows",
    "codemods.django.verify_clock",
    "dj_database_url",
    "django.conf.urls",
    "django.contrib.admin",
    "django.contrib.admin.apps",
    "django.contrib.admin.templatetags.admin_list",
    "django.contrib.admin.templatetags.admin_modify",
    "django.contrib.admin.templatetags.log",
    "django.contrib.auth.apps",
    "django.contrib.auth.context_processors",
    "django.contrib.auth.hashers",
    "django.contrib.auth.password_validation",
    "django.contrib.auth.tokens",
    "django.contrib.auth.validators",
    "django.contrib.contenttypes.apps",
    "django.contrib.messages.apps",
    "django.contrib.messages.context_processors",
    "django.contrib.sessions.apps",
    "django.contrib.sessions.serializers",
    "django.contrib.sites.requests",
    "django.contrib.sites.shortcuts",
    "django.contrib.staticfiles.apps",
    "django.core.asgi",
    "django.db.models.sql.compiler",
    "django.utils.translation.reloader",
    "getpass",
    "jinja2",
    "django.contrib.messages.middleware",
    "django.contrib.messages.storage.fallback",
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.middleware",
    "django.contrib.staticfiles.finders",
    "django.core.handlers.asgi",
    "django.core.handlers.wsgi",
    "django.core.management.commands.migrate",
    "django.core.wsgi",
    "django.db.backends.sqlite3.base",
    "django.db.migrations.autodetector",
    "django.db.migrations.executor",
    "django.middleware.clickjacking",
    "django.middleware.common",
    "django.middleware.csrf",
    "django.middleware.security",
    "django.template.context_processors",
    "django.template.loaders.app_directories",
    "django.template.loaders.cached",
    "django.template.loaders.filesystem",
    "django.templatetags.cache",
    "django.templatetags.l10n",
    "django.templatetags.tz",
    "django.views.defaults",
    "django.views.decorators.csrf",
    "django.views.decorators.http",
)
# Tried in order for a path parameter no database row gives (the first the pattern accepts).
SAMPLES: tuple[str, ...] = (
    "1",
    "2024",
    "x",
    "sample-slug",
    str(uuid.UUID(int=1)),
    "2024-01-01",
    "x/y",
)


def settings_module(package: str) -> str:
    """`DJANGO_SETTINGS_MODULE`, else the module `manage.py`/`wsgi.py`/`asgi.py` of the package
    name with `os.environ.setdefault`."""
    if os.environ.get(SETTINGS_ENV):
        return os.environ[SETTINGS_ENV]
    module = sys.modules.get(package) or __import__(package, fromlist=["_"])
    folders = [Path(folder) for folder in getattr(module, "__path__", [])]
    for folder in folders:
        candidates = sorted(folder.rglob("*.py"), key=lambda p: len(p.parts))
        for path in candidates:
            if path.name in ("manage.py", "wsgi.py", "asgi.py"):
                found = SETTINGS_CALL.search(path.read_text(encoding="utf-8", errors="replace"))
                if found:
                    return found.group(1)
    raise LookupError(f"no settings module for {package}: pass --settings or set {SETTINGS_ENV}")


def sandbox_databases(databases: dict[str, dict[str, Any]], folder: Path) -> list[str]:
    """Point every database of `DATABASES` at a SQLite file in `folder` (a copy of the project's
    SQLite file when there is one); returns what was done, per alias."""
    folder.mkdir(parents=True, exist_ok=True)
    notes = []
    for alias, database in databases.items():
        target = folder / f"{alias}.sqlite3"
        name = str(database.get("NAME") or "")
        source = Path(name) if database.get("ENGINE") == SQLITE_ENGINE and name else None
        if source is not None and source.resolve().parent == folder.resolve():
            notes.append(f"{alias}: already in the sandbox")
            continue
        if source is not None and source.is_file():
            shutil.copyfile(source, target)
            notes.append(f"{alias}: a copy of {source}")
        else:
            notes.append(f"{alias}: an empty SQLite database (migrated)")
        options = database.get("OPTIONS", {}) if database.get("ENGINE") == SQLITE_ENGINE else {}
        database.clear()
        database.update({"ENGINE": SQLITE_ENGINE, "NAME": str(target), "OPTIONS": options})
    return notes


def sandbox_services(settings: Any, folder: Path) -> list[str]:
    """Keep in the sandbox what views could write elsewhere (the logged-in calls run unsafe
    methods too): a cache on a server (Redis, Memcached) becomes a local-memory one of this
    process (both sides share it, as they shared the server), a file cache and file sessions
    move under `folder`, mail stays in memory (never sent) and uploads go to `folder/media`;
    returns what was changed."""
    notes = []
    for alias, cache in settings.CACHES.items():
        backend = str(cache.get("BACKEND", ""))
        if backend == FILE_CACHE:
            cache["LOCATION"] = str(folder / "cache" / alias)
            notes.append(f"cache {alias}: files in the sandbox")
        elif backend not in KEPT_CACHES:
            settings.CACHES[alias] = {"BACKEND": LOCMEM_CACHE, "LOCATION": f"verify-{alias}"}
            notes.append(f"cache {alias}: local memory instead of {backend}")
    settings.EMAIL_BACKEND = LOCMEM_EMAIL
    settings.MEDIA_ROOT = str(folder / "media")
    settings.SESSION_FILE_PATH = str(folder / "sessions")
    (folder / "sessions").mkdir(parents=True, exist_ok=True)
    return notes


def sandbox_hashers(settings: Any) -> None:
    """New passwords hashed by a fast hasher on both sides; hashes already in a copied database
    are still checked by the project's own hashers, which stay listed after it."""
    kept = [name for name in settings.PASSWORD_HASHERS if name != FAST_HASHER]
    settings.PASSWORD_HASHERS = [FAST_HASHER, *kept]


def load(package: str, spec: str | None = None, root: str | None = None) -> tuple[Any, None]:
    """Django's WSGI application for the project, on the sandbox's databases, and no origin:
    the settings module names the project (`spec` and `root` are Flask's way of finding an
    app, and a Django project has one)."""
    os.environ[SETTINGS_ENV] = settings_module(package)
    from django.conf import settings

    sandbox_databases(settings.DATABASES, Path.cwd() / "db")
    sandbox_services(settings, Path.cwd())
    sandbox_hashers(settings)
    hosts = list(settings.ALLOWED_HOSTS)
    if "*" not in hosts and "localhost" not in hosts:
        settings.ALLOWED_HOSTS = [*hosts, "localhost"]
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application(), None


def prepare(app: Any) -> None:
    """Every database migrated to the project's models (the copy of an old one too; an empty one
    comes from the cache of migrated databases when it has it: verify_migrated.py), the
    verification's superuser made (verify_user.py), one row put in every empty table
    (verify_seed.py) and the superuser made a member of the groups."""
    from django.conf import settings
    from django.db import connections

    from codemods.django.verify_migrated import migrate
    from codemods.django.verify_seed import seed_empty_tables
    from codemods.django.verify_user import join_groups, make_superuser

    for alias in settings.DATABASES:
        migrate(alias, Path.cwd().parent)
    make_superuser()
    for alias in settings.DATABASES:
        seed_empty_tables(alias)
    join_groups()
    connections.close_all()


def user_headers(app: Any) -> dict[str, str]:
    """The request headers of the logged-in user both sides are called as when a route asks an
    anonymous caller to log in (verify_user.py); made after `prepare`, before the sandbox's
    state is saved."""
    from django.db import connections

    from codemods.django.verify_user import user_headers as headers

    try:
        return headers()
    finally:
        connections.close_all()


def form_callers(app: Any) -> dict[str, Any]:
    """Who a form's valid submission is posted as (verify_user.py): made with `user_headers`,
    before the sandbox's state is saved, so both sides hold the same sessions."""
    from django.db import connections

    from codemods.django.verify_user import form_callers as callers

    try:
        return callers()
    finally:
        connections.close_all()


def record_forms(app: Any) -> Any:
    """The recorder of the forms the legacy pages render (verify_forms.py)."""
    from codemods.django.verify_forms import FormRecorder

    recorder = FormRecorder()
    recorder.install()
    return recorder


def form_body(app: Any, recorder: Any, token: str) -> tuple[bytes, str]:
    """A valid submission of the forms the last page rendered (urlencoded), and its type."""
    from django.db import connections

    from codemods.django.verify_forms import submission

    try:
        return submission(list(recorder.forms), token), "application/x-www-form-urlencoded"
    finally:
        connections.close_all()


def post_body(app: Any, call: dict[str, Any], token: str) -> tuple[bytes, str] | None:
    """What the view of a route taking POST only reads of its submission, posted as a page's
    form or script would (verify_forms.py's `posted_submission`): None when the call's details
    name nothing or its view is not found."""
    from django.db import connections

    from codemods.django.verify_forms import posted_submission

    keys, forms = dict(call.get("post_keys") or ()), list(call.get("post_forms") or ())
    if not keys and not forms:
        return None
    found = _pattern(call["name"]) if call.get("name") else _unnamed_pattern(call["path"])
    if found is None:
        return None
    view = getattr(found[1], "view_class", found[1])
    module = sys.modules.get(getattr(view, "__module__", ""))
    if module is None:
        return None
    try:
        body = posted_submission(vars(module), keys, forms, token)
        return body, "application/x-www-form-urlencoded"
    finally:
        connections.close_all()


def form_body_outside(app: Any, recorder: Any, token: str) -> tuple[bytes, str] | None:
    """The valid submission with a model choice field given a row its queryset leaves out
    (verify_forms.py), or None when every field offers all its model's rows."""
    from django.db import connections

    from codemods.django.verify_forms import outside_submission

    try:
        body = outside_submission(list(recorder.forms), token)
        return None if body is None else (body, "application/x-www-form-urlencoded")
    finally:
        connections.close_all()


def form_errors(app: Any, recorder: Any) -> dict[str, list[str]]:
    """The fields the legacy side refused in the last submission (verify_forms.py)."""
    from codemods.django.verify_forms import refused

    return refused(list(recorder.forms))


def rows(app: Any, since: float) -> dict[str, list[list[Any]]]:
    """What the sandbox's databases hold, a date written at or after `since` masked
    (verify_rows.py), and the mail sent so far (verify_mail.py)."""
    from codemods.django.verify_mail import sent
    from codemods.django.verify_rows import random_values, snapshot

    return {**snapshot(since), **sent(random_values())}


def keep_rows(app: Any) -> None:
    """A copy of the sandbox's databases (verify_rows.py) and of the local-memory caches
    (verify_caches.py), for `put_back_rows`."""
    from codemods.django import verify_caches, verify_rows

    verify_rows.keep()
    verify_caches.keep()


def put_back_rows(app: Any) -> None:
    """The sandbox's databases and the caches as `keep_rows` found them, in place."""
    from codemods.django import verify_caches, verify_rows

    verify_rows.put_back()
    verify_caches.put_back()


def frozen_clock(app: Any, instant: float) -> AbstractContextManager[None]:
    """Django's `timezone.now()` at `instant` while a submission's pair of calls runs
    (verify_clock.py)."""
    from codemods.django.verify_clock import frozen

    return frozen(instant)


def asks_login(app: Any, answer: dict[str, Any]) -> bool:
    """Whether the anonymous answer asks for a login (verify_user.py), by its status and
    `location`, or the login form its page (at `url`) rendered, as the form pass's recorder saw
    it (`record_forms`)."""
    from codemods.django.verify_forms import FormRecorder
    from codemods.django.verify_user import asks_login as asks

    seen = tuple(FormRecorder.current.forms) if FormRecorder.current is not None else ()
    return asks(answer["status"], answer.get("location"), answer.get("url"), seen)


def url_map_rules(app: Any) -> list[dict[str, Any]]:
    """Every URL pattern the project's resolver serves (url_patterns.py), for checking the report
    against them: Flask's `url_map` rules, Django's way."""
    from codemods.django.url_patterns import resolver_rules

    return resolver_rules()


def errors(app: Any) -> list[str]:
    """The exceptions views raise, as they are raised (the answer is still Django's own)."""
    from django.core.signals import got_request_exception

    seen: list[str] = []

    def record(sender: Any, **_: Any) -> None:
        error = sys.exc_info()[1]
        if error is not None:
            seen.append(f"{type(error).__name__}: {error}")

    got_request_exception.connect(record, weak=False)
    return seen


def url(app: Any, name: str | None, method: str, path: str = "") -> str | None:
    """A URL of the route named `name` (`api:post_detail`), else of the pattern without a name
    whose FastAPI path is `path` (the new route's full path): each path parameter from a row of
    the model the view or its path names (`posts/<int:pk>/` -> a `Post`'s pk), else a sample
    the pattern accepts."""
    from django.db import connections
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    found = _pattern(name) if name else _unnamed_pattern(path)
    if found is None:
        return None
    route, callback = found
    parameters = _parameters(route)
    try:
        own, groups = _regex_samples(route)
        candidates = {
            p: [*_row_values(callback, route, p), *own.get(p, ()), *SAMPLES, *groups.get(p, ())]
            for p in parameters
        }
    finally:
        connections.close_all()
    for values in itertools.islice(_combinations(candidates), MAX_TRIES):
        if name:
            try:
                return str(reverse(name, kwargs=values) if values else reverse(name))
            except NoReverseMatch:
                continue
        built = _filled(path, values)
        try:
            if resolve(built).func is callback:
                return built
        except Resolver404:
            continue
    return None


FASTAPI_PARAMETER = re.compile(r"\{(?P<name>\w+)(?::\w+)?\}")


def _filled(path: str, values: dict[str, str]) -> str:
    """The FastAPI path with its parameters replaced by `values`."""
    return FASTAPI_PARAMETER.sub(lambda m: values.get(m["name"], m[0]), path)


def _unnamed_pattern(path: str) -> tuple[str, Any] | None:
    """(the full route text, the view) of the first pattern without a name whose FastAPI path
    (codemods/django/paths.py) is `path`."""
    from django.urls import get_resolver

    from codemods.django.paths import convert

    for full_name, parts, callback in _every_pattern(get_resolver()):
        if full_name is None and convert(parts).path == path:
            return "".join(p.text for p in parts), callback
    return None


def _walk_parts(
    patterns: list[Any], namespace: tuple[str, ...], prefix: tuple[Any, ...]
) -> Iterator[tuple[str | None, tuple[Any, ...], Any]]:
    """(the namespaced name or None, the route parts, the view) of every pattern."""
    from django.urls import URLPattern, URLResolver
    from django.urls.resolvers import RegexPattern

    from codemods.django.analysis import RoutePart

    for pattern in patterns:
        part = RoutePart(str(pattern.pattern), isinstance(pattern.pattern, RegexPattern))
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            try:
                children = pattern.url_patterns
            except Exception:
                continue
            yield from _walk_parts(children, inner, (*prefix, part))
        elif isinstance(pattern, URLPattern):
            name = ":".join([*namespace, pattern.name]) if pattern.name else None
            yield name, (*prefix, part), pattern.callback


# [the root resolver, every pattern of it]: its walk, made once when nothing is left to import
_walked: list[Any] = []


def _every_pattern(resolver: Any) -> Iterator[tuple[str | None, tuple[Any, ...], Any]]:
    """`_walk_parts` of the root resolver's patterns. Once every included URLconf is loaded
    (phase one's `url_map_rules` loads them, unless one fails), the walk is kept and read again
    by each call (24 walks a run on the example blog); until then, or with translated patterns,
    each call walks as far as it needs, loading what it meets."""
    if _walked and _walked[0] is resolver:
        yield from _walked[1]
        return
    if not _all_loaded(resolver):
        yield from _walk_parts(resolver.url_patterns, (), ())
        return
    _walked[:] = [resolver, list(_walk_parts(resolver.url_patterns, (), ()))]
    yield from _walked[1]


def _all_loaded(resolver: Any) -> bool:
    """Whether the patterns of `resolver` and of every resolver below it are loaded (Django
    keeps a loaded list in the resolver's `url_patterns` cached property) and none is a lazy
    translation (its text follows the active language: walked again each time)."""
    from django.urls import URLResolver

    from codemods.django.url_patterns import is_lazy

    loaded = resolver.__dict__.get("url_patterns")
    if loaded is None or any(is_lazy(p.pattern) for p in loaded):
        return False
    return all(_all_loaded(p) for p in loaded if isinstance(p, URLResolver))


def _combinations(candidates: dict[str, list[str]]) -> Iterator[dict[str, str]]:
    names = list(candidates)
    for chosen in itertools.product(*(candidates[n] for n in names)):
        yield dict(zip(names, chosen, strict=True))


def _pattern(name: str) -> tuple[str, Any] | None:
    """(the full route text, the view) of the pattern named `name`."""
    from django.urls import get_resolver

    for full_name, parts, callback in _every_pattern(get_resolver()):
        if full_name == name:
            return "".join(p.text for p in parts), callback
    return None


PARAMETER = re.compile(r"<(?:[^>:]+:)?([^>]+)>|\(\?P<(\w+)>")


def _parameters(route: str) -> list[str]:
    return [a or b for a, b in PARAMETER.findall(route)]


CONVERTER = re.compile(r"<(?P<converter>[^>:]+):(?P<name>[^>]+)>")


def _regex_samples(route: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """A sample of each parameter's regex (regex_sample.py): of a converter the project
    registers, as Django has it (tried before the stock samples, which its regex rarely takes),
    and of a `re_path` group (after them; an optional group's last, "": absent)."""
    from django.urls.converters import get_converters

    from codemods.django.paths import CONVERTERS, NAMED_GROUP, OPTIONAL_GROUP
    from codemods.django.regex_sample import regex_sample

    own: dict[str, list[str]] = {}
    for match in CONVERTER.finditer(route):
        converter = get_converters().get(match["converter"])
        sample = regex_sample(converter.regex) if converter is not None else None
        if match["converter"] not in CONVERTERS and sample:
            own[match["name"]] = [sample]
    groups = {m["name"]: regex_sample(m["regex"]) for m in NAMED_GROUP.finditer(route)}
    found = {name: [sample] for name, sample in groups.items() if sample}
    for optional in OPTIONAL_GROUP.finditer(route):  # absent: the path without the group
        found.setdefault(optional["name"], []).append("")
    return own, found


def _row_values(callback: Any, route: str, parameter: str) -> list[str]:
    """A value of `parameter` from the first row of its model (ordered by pk), when a model is
    known for it: the class-based view's `queryset`/`model`, else the path segment before the
    parameter (`posts/` -> Post); a parameter none of these has a field for, named
    `<model>_<field>` (`newsletter_slug`, a view's `slug_url_kwarg`), is that model's field."""
    found = _view_row_values(callback, route, parameter)
    return found if found is not None else _named_row_values(parameter)


def _named_row_values(parameter: str) -> list[str]:
    """The first row's `<field>` of the model named by the parameter's `<model>_` prefix."""
    from django.apps import apps

    for model in apps.get_models():
        prefix = f"{model._meta.model_name}_"
        field = parameter.removeprefix(prefix)
        if not parameter.startswith(prefix) or _field(model, field) != field:
            continue
        return _first_value(model._default_manager.all(), field) or []
    return []


def _first_value(queryset: Any, field: str) -> list[str] | None:
    try:
        value = queryset.order_by("pk").values_list(field, flat=True).first()
    except Exception:
        return None
    return None if value is None else [str(value)]


def _view_row_values(callback: Any, route: str, parameter: str) -> list[str] | None:
    """`_row_values` by the view's model or the path segment (None: neither has the field)."""
    from django.apps import apps

    queryset = None
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        if getattr(view_class, "queryset", None) is not None:
            queryset = view_class.queryset.all()
        elif getattr(view_class, "model", None) is not None:
            queryset = view_class.model._default_manager.all()
    if queryset is None:
        segment = _segment_before(route, parameter)
        models = [
            m
            for m in apps.get_models()
            if m._meta.model_name in (segment, segment.removesuffix("s"), segment[:-2])
        ]
        if not models:
            return None
        queryset = models[0]._default_manager.all()
    model = queryset.model
    if view_class is not None:
        by_view = _date_view_values(view_class, queryset, parameter)
        if by_view is not None:
            return by_view
    field = _field(model, parameter)
    if field is None:
        return None
    return _first_value(queryset, field) or []


# a date view's path parameters and Django's default formats of them (YearMixin, MonthMixin, ...)
DATE_PARTS = {"year": "%Y", "month": "%b", "day": "%d"}


def _date_view_values(view_class: Any, queryset: Any, parameter: str) -> list[str] | None:
    """A date view's `year`/`month`/`day` from the first row's `date_field` (in the current
    time zone, in the view's `<part>_format`), and its `slug` by its `slug_field` (a lookup
    through a key, `message__slug`), so a `DateDetailView` is asked for an object it has."""
    import datetime

    from django.utils import timezone

    date_field = getattr(view_class, "date_field", None)
    if parameter in DATE_PARTS and isinstance(date_field, str):
        try:
            value = queryset.order_by("pk").values_list(date_field, flat=True).first()
        except Exception:
            return None
        if value is None:
            return []
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        part_format = getattr(view_class, f"{parameter}_format", None) or DATE_PARTS[parameter]
        return [value.strftime(part_format)]
    slug_field = getattr(view_class, "slug_field", None)
    if (
        parameter == getattr(view_class, "slug_url_kwarg", None)
        and isinstance(slug_field, str)
        and "__" in slug_field
    ):
        return _first_value(queryset, slug_field)
    return None


def _segment_before(route: str, parameter: str) -> str:
    head = re.split(rf"<(?:[^>:]+:)?{parameter}>|\(\?P<{parameter}>", route)[0]
    words = [w for w in re.split(r"[^A-Za-z0-9]+", head) if w]
    return words[-1].lower() if words else ""


def _field(model: Any, parameter: str) -> str | None:
    """The model field a path parameter names: pk/id, `<model>_id`, or a field of that name."""
    names = {f.name for f in model._meta.get_fields() if getattr(f, "concrete", False)}
    if parameter in ("pk", "id", f"{model._meta.model_name}_id", f"{model._meta.model_name}_pk"):
        return "pk"
    return parameter if parameter in names else None
