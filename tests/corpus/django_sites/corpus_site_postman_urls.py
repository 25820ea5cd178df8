"""The root URLconf of corpus_site_postman."""

from django.urls import include, path

urlpatterns = [path("", include("postman.urls", namespace="postman"))]
