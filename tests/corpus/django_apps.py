"""The visible Django corpus: published reusable apps nobody here wrote, each served by a minimal
site of ours (settings and root URLconf in django_sites/, put on the venv's PYTHONPATH), in its own
venv with its own dependencies.

Each site mounts its app at the root of the URL space, so the resolver's routes are the app's own.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.corpus import App

SITES = str(Path(__file__).resolve().with_name("django_sites"))


def django_app(name: str, version: str, source: str, site: str, **more: object) -> App:
    return App(
        name=name,
        version=version,
        source=source,
        build="",
        path=(SITES,),
        settings=f"corpus_site_{site}",
        **more,  # type: ignore[arg-type]
    )


DJANGO_TODO = django_app("django-todo", "2.7.0", "todo", "todo")
SQL_EXPLORER = django_app("django-sql-explorer", "5.3.1", "explorer", "explorer")
SPIRIT = django_app("django-spirit", "0.14.3", "spirit", "spirit")
POSTMAN = django_app("django-postman", "4.6", "postman", "postman")
NEWSLETTER = django_app(
    "django-newsletter",
    "1.2.1",
    "newsletter",
    "newsletter",
    # its image field needs a thumbnailing app it does not depend on: sorl-thumbnail, its default
    requirements=("sorl-thumbnail",),
)
# Django REST framework comes with it (a dependency of dj-rest-auth): in this venv only; its
# extras serve its MFA URLconf (`with-mfa`: pyotp) and its registration URLconf (`with-social`:
# django-allauth).
REST_AUTH = django_app(
    "dj-rest-auth", "7.2.0", "dj_rest_auth", "rest_auth", extras=("with-mfa", "with-social")
)

DJANGO_APPS = (DJANGO_TODO, SQL_EXPLORER, SPIRIT, POSTMAN, NEWSLETTER, REST_AUTH)
