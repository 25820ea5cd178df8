"""The HTML pages: class-based views for the public blog, a function view for drafts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import CreateView, DetailView, ListView

from .forms import CommentForm, PostForm
from .models import Comment, Post, Tag


class PostListView(ListView):
    queryset = Post.published.select_related("author").prefetch_related("tags")
    context_object_name = "posts"
    paginate_by = 10
    template_name = "blog/post_list.html"


class TagPostListView(PostListView):
    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tag"] = self.tag
        return context


class PostDetailView(DetailView):
    queryset = Post.published.select_related("author").prefetch_related("tags")
    context_object_name = "post"
    template_name = "blog/post_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["comments"] = self.object.comments.filter(approved=True)
        context["form"] = CommentForm()
        return context


class CommentView(View):
    """The comment form of one post: shown on GET, checked and saved on POST."""

    template_name = "blog/comment_form.html"

    def get_post(self, slug):
        return get_object_or_404(Post.published, slug=slug)

    def get(self, request, slug):
        post = self.get_post(slug)
        return render(request, self.template_name, {"post": post, "form": CommentForm()})

    def post(self, request, slug):
        post = self.get_post(slug)
        form = CommentForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"post": post, "form": form})
        Comment.objects.create(
            post=post,
            author_name=form.cleaned_data["author_name"],
            email=form.cleaned_data["email"],
            body=form.cleaned_data["body"],
        )
        messages.success(request, "Thanks! Your comment will appear once it is approved.")
        return redirect(post)


class PostCreateView(LoginRequiredMixin, CreateView):
    model = Post
    form_class = PostForm
    template_name = "blog/post_form.html"

    def form_valid(self, form):
        form.instance.author = self.request.user
        response = super().form_valid(form)
        messages.success(self.request, f'"{self.object.title}" was saved.')
        return response

    def get_success_url(self):
        if self.object.status == Post.Status.PUBLISHED:
            return self.object.get_absolute_url()
        return reverse("blog:drafts")


@login_required
def drafts(request):
    posts = Post.objects.filter(author=request.user, status=Post.Status.DRAFT)
    return render(request, "blog/drafts.html", {"posts": posts})
