"""The root URLconf of corpus_site_todo."""

from django.urls import include, path

urlpatterns = [path("", include("todo.urls"))]
