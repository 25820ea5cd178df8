"""django-sql-explorer's site: the app at the root, on the default database, with a saved query
of its own (corpus_site_explorer_queries) and no anonymous usage stats sent out."""

from corpus_site_common import site_settings

globals().update(
    site_settings(
        ("explorer", "corpus_site_explorer_queries"),
        EXPLORER_CONNECTIONS={"Default": "default"},
        EXPLORER_DEFAULT_CONNECTION="default",
        EXPLORER_ENABLE_ANONYMOUS_STATS=False,
    )
)
ROOT_URLCONF = "corpus_site_explorer_urls"
