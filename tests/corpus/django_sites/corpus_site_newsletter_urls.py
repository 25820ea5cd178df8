"""The root URLconf of corpus_site_newsletter."""

from django.urls import include, path

urlpatterns = [path("", include("newsletter.urls"))]
