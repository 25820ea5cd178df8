"""The root URLconf of corpus_site_explorer: the app, and the admin, whose login page the app
shows to a caller without its permission (views/auth.py renders `admin/login.html`, which
reverses `admin:` URLs: without them every such page is a NoReverseMatch on both sides)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("explorer.urls")),
]
