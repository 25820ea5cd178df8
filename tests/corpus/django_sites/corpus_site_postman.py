"""django-postman's site: the app at the root under its `postman` namespace, as its urls.py
says to mount it."""

from corpus_site_common import site_settings

globals().update(site_settings(("postman",)))
ROOT_URLCONF = "corpus_site_postman_urls"
