"""dj-rest-auth's site: its URLs at the root, on Django REST framework with token and session
authentication, with its MFA app (its `with-mfa` extra) and its registration app on
django-allauth (its `with-social` extra), set up as dj-rest-auth's documentation says."""

from corpus_site_common import site_settings

globals().update(
    site_settings(
        (
            "rest_framework",
            "rest_framework.authtoken",
            "dj_rest_auth",
            "dj_rest_auth.mfa",
            "django.contrib.sites",
            "allauth",
            "allauth.account",
            "allauth.socialaccount",
            "dj_rest_auth.registration",
        ),
        middleware=("allauth.account.middleware.AccountMiddleware",),
        REST_FRAMEWORK={
            "DEFAULT_AUTHENTICATION_CLASSES": [
                "rest_framework.authentication.SessionAuthentication",
                "rest_framework.authentication.TokenAuthentication",
            ]
        },
    )
)
ROOT_URLCONF = "corpus_site_rest_auth_urls"
