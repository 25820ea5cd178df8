"""django-todo's site: the app at the root of the URL space, as its README mounts it."""

from corpus_site_common import site_settings

globals().update(site_settings(("django.contrib.sites", "todo")))
ROOT_URLCONF = "corpus_site_todo_urls"
