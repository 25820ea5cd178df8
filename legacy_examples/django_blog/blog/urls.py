from django.urls import path

from . import views

app_name = "blog"

urlpatterns = [
    path("", views.PostListView.as_view(), name="post_list"),
    path("drafts/", views.drafts, name="drafts"),
    # before <slug:slug>, which would also match "new"
    path("posts/new/", views.PostCreateView.as_view(), name="post_create"),
    path("posts/<slug:slug>/", views.PostDetailView.as_view(), name="post_detail"),
    path("posts/<slug:slug>/comment/", views.CommentView.as_view(), name="post_comment"),
    path("tags/<slug:slug>/", views.TagPostListView.as_view(), name="tag_posts"),
]
