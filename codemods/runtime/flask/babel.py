"""flask-babel's twin for generated code: the app's translations, in its templates and modules.
Permanent while the app is translated this way.

    babel = Babel(app, locale_selector=get_locale)   # was flask_babel.Babel(app, ...)
    init_babel(babel, app, locale_selector=f)        # was babel.init_app(app, ...)
    gettext("Hello %(name)s", name=name)             # was flask_babel.gettext
    lazy_gettext("Name")                             # translated when it is read

As flask-babel does, the set-up reads `BABEL_DEFAULT_LOCALE`, `BABEL_DOMAIN` and
`BABEL_TRANSLATION_DIRECTORIES` (`;`-separated, relative to the app's root), calls the locale
selector once per request, and gives the app's templates `_`, `gettext`, `ngettext`, `pgettext`
and `npgettext` (Jinja's i18n extension, new style: `_("Hi %(name)s", name=n)`). The catalogs
are the app's compiled `<dir>/<locale>/LC_MESSAGES/<domain>.mo` files, read with the standard
library's `gettext`: the same files flask-babel reads, without needing Babel installed. Outside a
request or an app context, and where the app has no catalog, text comes back untranslated
(flask-babel's `NullTranslations`). Babel's date and number formatting filters are not provided.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import os
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from jinja2 import pass_context
from jinja2.runtime import Context

from codemods.runtime.flask.context import bind, current_app, current_request
from codemods.runtime.flask.templates import jinja_env

LocaleSelector = Callable[[], Any]
_LOCALE = "strangler_babel_locale"  # the request's locale, chosen once (flask-babel's cache)


class Babel:
    """`flask_babel.Babel`: `Babel(app, ...)`, or `Babel()` then `init_app(app, ...)`."""

    def __init__(
        self,
        app: FastAPI | None = None,
        default_locale: str = "en",
        default_translation_directories: str = "translations",
        default_domain: str = "messages",
        default_timezone: str = "UTC",
        locale_selector: LocaleSelector | None = None,
        timezone_selector: LocaleSelector | None = None,
        configure_jinja: bool = True,
    ) -> None:
        self.default_locale = default_locale
        self.default_translation_directories = default_translation_directories
        self.default_domain = default_domain
        self.default_timezone = default_timezone
        self.locale_selector = locale_selector
        self.timezone_selector = timezone_selector
        self.configure_jinja = configure_jinja
        if app is not None:
            self.init_app(app, locale_selector=locale_selector)

    def init_app(
        self,
        app: FastAPI,
        default_locale: str | None = None,
        default_domain: str | None = None,
        default_translation_directories: str | None = None,
        default_timezone: str | None = None,
        locale_selector: LocaleSelector | None = None,
        timezone_selector: LocaleSelector | None = None,
    ) -> None:
        config = app.state.config
        config.setdefault("BABEL_DEFAULT_LOCALE", default_locale or self.default_locale)
        config.setdefault("BABEL_DEFAULT_TIMEZONE", default_timezone or self.default_timezone)
        config.setdefault("BABEL_DOMAIN", default_domain or self.default_domain)
        config.setdefault(
            "BABEL_TRANSLATION_DIRECTORIES",
            default_translation_directories or self.default_translation_directories,
        )
        self.locale_selector = locale_selector or self.locale_selector
        self.timezone_selector = timezone_selector or self.timezone_selector
        app.state.babel = self
        app.state.babel_catalogs = {}
        if self.configure_jinja:
            install_in_templates(app)

    def localeselector(self, selector: LocaleSelector) -> LocaleSelector:
        """flask-babel < 3's `@babel.localeselector`."""
        self.locale_selector = selector
        return selector


def init_babel(extension: Babel, app: FastAPI, **options: Any) -> None:
    """`babel.init_app(app, ...)` on the generated app."""
    extension.init_app(app, **options)


def install_in_templates(app: FastAPI) -> None:
    """What flask-babel does to `app.jinja_env`: the i18n extension with its callables, which
    translate for the request the template renders."""
    environment = jinja_env(app)
    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        _for_template(lambda t, text: t.gettext(text)),
        _for_template(lambda t, one, many, count: t.ngettext(one, many, count)),
        newstyle=True,
        pgettext=_for_template(lambda t, context, text: t.pgettext(context, text)),
        npgettext=_for_template(lambda t, ctx, one, many, n: t.npgettext(ctx, one, many, n)),
    )


def _for_template(call: Callable[..., str]) -> Callable[..., str]:
    @pass_context
    def translate(context: Context, *args: Any) -> str:
        request = context.get("request")
        return call(get_translations(request if isinstance(request, Request) else None), *args)

    return translate


def _app_or_none() -> FastAPI | None:
    try:
        return current_app()
    except RuntimeError:
        return None


def _current_request() -> Request | None:
    try:
        return current_request()
    except RuntimeError:
        return None


def get_locale(request: Request | None = None) -> str | None:
    """`flask_babel.get_locale()`: the selector's answer (once per request), else the default;
    None outside a request or app context."""
    request = request or _current_request()
    app: FastAPI | None = request.app if request is not None else _app_or_none()
    extension = getattr(app.state, "babel", None) if app is not None else None
    if app is None or extension is None:
        return None
    state = request.state if request is not None else None
    chosen = getattr(state, _LOCALE, None) if state is not None else None
    if chosen is None:
        if request is not None and _current_request() is not request:
            bind(request)  # the selector reads `current_request()`, as Flask's reads `request`
        selected = extension.locale_selector() if extension.locale_selector else None
        chosen = str(selected) if selected else app.state.config["BABEL_DEFAULT_LOCALE"]
        if state is not None:
            setattr(state, _LOCALE, chosen)
    return str(chosen)


def refresh() -> None:
    """`flask_babel.refresh()`: choose the locale again on the next read."""
    try:
        state = current_request().state
    except RuntimeError:
        return
    if hasattr(state, _LOCALE):
        delattr(state, _LOCALE)


def get_translations(request: Request | None = None) -> stdlib_gettext.NullTranslations:
    """The catalogs of the current locale, merged over the app's translation folders."""
    request = request or _current_request()
    app = request.app if request is not None else _app_or_none()
    locale = get_locale(request)
    if app is None or locale is None:
        return stdlib_gettext.NullTranslations()
    catalogs: dict[str, stdlib_gettext.NullTranslations] = app.state.babel_catalogs
    if locale not in catalogs:
        catalogs[locale] = _load(app, locale)
    return catalogs[locale]


def _load(app: FastAPI, locale: str) -> stdlib_gettext.NullTranslations:
    config = app.state.config
    root = getattr(app.state, "root_path", None) or os.getcwd()
    found: stdlib_gettext.NullTranslations = stdlib_gettext.NullTranslations()
    for folder in reversed(str(config["BABEL_TRANSLATION_DIRECTORIES"]).split(";")):
        directory = os.path.join(root, folder)
        catalog = stdlib_gettext.translation(
            config["BABEL_DOMAIN"], directory, languages=[locale], fallback=True
        )
        if type(catalog) is not stdlib_gettext.NullTranslations:
            catalog.add_fallback(found)  # the first folder wins, as in flask-babel
            found = catalog
    return found


def gettext(string: str, **variables: Any) -> str:
    """`flask_babel.gettext` (and `_`): translated, then `%`-formatted with the variables."""
    translated = get_translations().gettext(string)
    return translated % variables if variables else translated


_ = gettext


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    return get_translations().ngettext(singular, plural, num) % variables


def pgettext(context: str, string: str, **variables: Any) -> str:
    translated = get_translations().pgettext(context, string)
    return translated % variables if variables else translated


def npgettext(context: str, singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    return get_translations().npgettext(context, singular, plural, num) % variables


class LazyString:
    """`flask_babel.lazy_gettext`'s result: translated each time it is read (form labels made
    at import time follow each request's locale)."""

    def __init__(self, function: Callable[..., str], *args: Any, **kwargs: Any) -> None:
        self._function, self._args, self._kwargs = function, args, kwargs

    def __str__(self) -> str:
        return self._function(*self._args, **self._kwargs)

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))

    def __repr__(self) -> str:
        return f"l'{self}'"

    def __len__(self) -> int:
        return len(str(self))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(str(self), name)

    def __add__(self, other: object) -> str:
        return str(self) + str(other)

    def __radd__(self, other: object) -> str:
        return str(other) + str(self)

    def __mod__(self, other: object) -> str:
        return str(self) % other

    def __eq__(self, other: object) -> bool:
        return str(self) == other

    def __hash__(self) -> int:
        return hash(str(self))

    def __contains__(self, item: str) -> bool:
        return item in str(self)


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    return LazyString(gettext, string, **variables)


def lazy_ngettext(singular: str, plural: str, num: int, **variables: Any) -> LazyString:
    return LazyString(ngettext, singular, plural, num, **variables)


def lazy_pgettext(context: str, string: str, **variables: Any) -> LazyString:
    return LazyString(pgettext, context, string, **variables)
