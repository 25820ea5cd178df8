"""The root URLconf of corpus_site_rest_auth."""

from django.urls import include, path

urlpatterns = [path("", include("dj_rest_auth.urls"))]
