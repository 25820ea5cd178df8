"""django-todo's site: the app at the root of the URL space, as its README mounts it, with the
public ticket list its README sets up (TODO_DEFAULT_LIST_SLUG; the list itself is a row of
corpus_site_todo_data's migration), and the site-level `base.html` its templates extend
(`todo/base.html` extends "base.html", which a project gives; the app's own is a one-line
placeholder, so without the site's the pages rendered no content at all)."""

from corpus_site_common import site_settings

globals().update(
    site_settings(
        ("django.contrib.sites", "todo", "corpus_site_todo_data"),
        site_templates=True,
        TODO_DEFAULT_LIST_SLUG="tickets",
    )
)
ROOT_URLCONF = "corpus_site_todo_urls"
