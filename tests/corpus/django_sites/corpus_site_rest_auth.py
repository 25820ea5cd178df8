"""dj-rest-auth's site: its URLs at the root, on Django REST framework with token and session
authentication, with its MFA app (its `with-mfa` extra); registration needs django-allauth,
which the app does not depend on."""

from corpus_site_common import site_settings

globals().update(
    site_settings(
        ("rest_framework", "rest_framework.authtoken", "dj_rest_auth", "dj_rest_auth.mfa"),
        REST_FRAMEWORK={
            "DEFAULT_AUTHENTICATION_CLASSES": [
                "rest_framework.authentication.SessionAuthentication",
                "rest_framework.authentication.TokenAuthentication",
            ]
        },
    )
)
ROOT_URLCONF = "corpus_site_rest_auth_urls"
