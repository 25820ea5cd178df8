"""django-newsletter's site: the app at the root; it needs the sites framework."""

from corpus_site_common import site_settings

globals().update(site_settings(("django.contrib.sites", "sorl.thumbnail", "newsletter")))
ROOT_URLCONF = "corpus_site_newsletter_urls"
