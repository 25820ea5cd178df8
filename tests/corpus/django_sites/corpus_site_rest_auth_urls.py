"""The root URLconf of corpus_site_rest_auth."""

from django.urls import include, path

urlpatterns = [
    path("", include("dj_rest_auth.urls")),
    # its MFA URLconf, as dj-rest-auth's own MFA test site mounts it
    path("", include("dj_rest_auth.mfa.urls")),
    # its registration URLconf, where dj-rest-auth's documentation mounts it
    path("registration/", include("dj_rest_auth.registration.urls")),
]
