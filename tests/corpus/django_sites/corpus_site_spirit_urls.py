"""The root URLconf of corpus_site_spirit."""

from django.urls import include, path

urlpatterns = [path("", include("spirit.urls"))]
