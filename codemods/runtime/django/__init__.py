"""Django's environment for generated FastAPI routes: the legacy project's sessions, logged-in
user, CSRF, messages and templates, through Django's own code set up in-process. Transitional:
every module goes once the legacy Django project is gone.

    from codemods.runtime.django.app import install
    from codemods.runtime.django.dependencies import CsrfProtected, DjangoSession, DjangoUser
    from codemods.runtime.django.request import DjangoRequest
    from codemods.runtime.django.templates import render

| module | gives |
|---|---|
| `app` | `install(app, settings_module=None)`: `django.setup()`, the middleware, the handlers |
| `request` | `DjangoRequest`: the route's real `HttpRequest` (session, user, COOKIES, POST, META) |
| `dependencies` | `DjangoSession`, `DjangoUser`, `CsrfProtected` |
| `guards` | `LoginRequired`, `guard(decorator)`: Django's view decorators as dependencies |
| `templates` | `render(http_request, name, context)`: Django's engine and context processors |
| `responses` | `to_starlette`, `DjangoResponse`; Django's pages for `Http404`, `PermissionDenied` |
| `middleware` | `DjangoMiddleware`: the project's own middlewares; session and cookies saved |
| `connections` | `run_in_django(fn, ...)`, `fresh_connections()`: Django's ORM from FastAPI |
| `views` | `django_view`: a legacy function view as a FastAPI endpoint, its code unchanged |
| `path_types` | `with_path_types(view, pk=str)`: a route giving a view its own path types |
| `request_data` | `last`, `joined`, `present`, `JsonBody`: request data with Django's values |
| `convertors` | `django_convertors()`, `regex_convertor(name, regex)`: Django's path regexes |
| `bootstrap` | `setup_django(settings_module=None)` |
| `stack` | the project's session, CSRF, auth and messages middlewares, and its own ones |
| `own_middleware` | `own_middlewares()`: the project's own middlewares the runtime runs |

Importing this package does not import Django's models; `install` (or `setup_django`) must run
before the first request.
"""
