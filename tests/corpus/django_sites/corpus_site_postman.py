"""django-postman's site: the app at the root under its `postman` namespace, as its urls.py
says to mount it. Its templates extend a site-level `base.html`, which the site gives."""

from corpus_site_common import site_settings

globals().update(site_settings(("postman",), site_templates=True))
ROOT_URLCONF = "corpus_site_postman_urls"
