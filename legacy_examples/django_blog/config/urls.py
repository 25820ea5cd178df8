"""URL configuration for the blog project."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("legacy_examples.django_blog.blog.api_urls")),
    path("", include("legacy_examples.django_blog.blog.urls")),
]
