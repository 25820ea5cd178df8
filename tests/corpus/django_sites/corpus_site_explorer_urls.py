"""The root URLconf of corpus_site_explorer."""

from django.urls import include, path

urlpatterns = [path("", include("explorer.urls"))]
