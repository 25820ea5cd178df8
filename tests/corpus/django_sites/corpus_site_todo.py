"""django-todo's site: the app at the root of the URL space, as its README mounts it, with the
public ticket list its README sets up (TODO_DEFAULT_LIST_SLUG; the list itself is a row of
corpus_site_todo_data's migration)."""

from corpus_site_common import site_settings

globals().update(
    site_settings(
        ("django.contrib.sites", "todo", "corpus_site_todo_data"),
        TODO_DEFAULT_LIST_SLUG="tickets",
    )
)
ROOT_URLCONF = "corpus_site_todo_urls"
