from django.urls import path, re_path

from . import api

app_name = "api"

urlpatterns = [
    path("posts/", api.post_collection, name="post_collection"),
    path("posts/<int:pk>/", api.post_detail, name="post_detail"),
    path("posts/<int:pk>/comments/", api.post_comments, name="post_comments"),
    path("tags/", api.tag_list, name="tag_list"),
    re_path(r"^archive/(?P<year>[0-9]{4})/$", api.archive_year, name="archive_year"),
    path("me/", api.me, name="me"),
]
