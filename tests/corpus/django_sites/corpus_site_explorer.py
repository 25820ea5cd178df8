"""django-sql-explorer's site: the app at the root, on the default database."""

from corpus_site_common import site_settings

globals().update(
    site_settings(
        ("explorer",),
        EXPLORER_CONNECTIONS={"Default": "default"},
        EXPLORER_DEFAULT_CONNECTION="default",
    )
)
ROOT_URLCONF = "corpus_site_explorer_urls"
