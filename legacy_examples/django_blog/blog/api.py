"""The JSON API: plain function views returning JsonResponse.

Writes are authenticated by the session cookie (log in through /accounts/login/ first) and are
exempt from CSRF, as many hand-rolled Django APIs are. Bodies are validated by hand.
"""

import json
import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.core.validators import validate_email
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import Truncator, slugify
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from .forms import RESERVED_SLUGS
from .models import Comment, Post, Tag

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 50
MIN_PUBLISHED_BODY = 20
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


def post_summary(post):
    return {
        "id": post.pk,
        "title": post.title,
        "slug": post.slug,
        "status": post.status,
        "author": post.author.username,
        "tags": [tag.slug for tag in post.tags.all()],
        "excerpt": Truncator(post.body).words(30),
        "created": post.created.isoformat(),
        "updated": post.updated.isoformat(),
        "url": post.get_absolute_url(),
    }


def post_to_dict(post):
    data = post_summary(post)
    del data["excerpt"]
    data["body"] = post.body
    data["comment_count"] = post.comments.filter(approved=True).count()
    return data


def comment_to_dict(comment):
    return {
        "id": comment.pk,
        "post": comment.post_id,
        "author_name": comment.author_name,
        "body": comment.body,
        "approved": comment.approved,
        "created": comment.created.isoformat(),
    }


def error(message, status):
    return JsonResponse({"error": message}, status=status)


def invalid(errors):
    return JsonResponse({"errors": errors}, status=400)


def parse_json_object(request):
    """The request body as a dict, or None when it is not a JSON object."""
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


def can_edit(user, post):
    return user.is_staff or post.author_id == user.pk


@csrf_exempt
@require_http_methods(["GET", "POST"])
def post_collection(request):
    if request.method == "POST":
        return create_post(request)
    return list_posts(request)


def list_posts(request):
    status = request.GET.get("status", Post.Status.PUBLISHED)
    if status not in Post.Status.values:
        return invalid({"status": f"must be one of: {', '.join(Post.Status.values)}"})
    try:
        page_number = int(request.GET.get("page", 1))
        page_size = int(request.GET.get("page_size", DEFAULT_PAGE_SIZE))
    except ValueError:
        return invalid({"page": "page and page_size must be integers"})
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        return invalid({"page_size": f"must be between 1 and {MAX_PAGE_SIZE}"})

    posts = Post.objects.filter(status=status).select_related("author").prefetch_related("tags")
    if status == Post.Status.DRAFT:
        if not request.user.is_authenticated:
            return error("log in to list drafts", 401)
        if not request.user.is_staff:
            posts = posts.filter(author=request.user)

    tag = request.GET.get("tag")
    if tag:
        posts = posts.filter(tags__slug=tag)
    author = request.GET.get("author")
    if author:
        posts = posts.filter(author__username=author)
    search = request.GET.get("search", "").strip()
    if search:
        posts = posts.filter(Q(title__icontains=search) | Q(body__icontains=search))

    paginator = Paginator(posts, page_size)
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        return error(f"page {page_number} does not exist", 404)

    def page_link(number):
        query = request.GET.copy()
        query["page"] = number
        return f"{request.path}?{query.urlencode()}"

    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "num_pages": paginator.num_pages,
            "page_size": page_size,
            "next": page_link(page.next_page_number()) if page.has_next() else None,
            "previous": page_link(page.previous_page_number()) if page.has_previous() else None,
            "results": [post_summary(post) for post in page.object_list],
        }
    )


def validate_post_payload(payload, partial=False, instance=None):
    """Hand validation of a post body; returns (cleaned values, errors)."""
    cleaned, errors = {}, {}

    if "title" in payload or not partial:
        title = payload.get("title")
        if not isinstance(title, str) or not title.strip():
            errors["title"] = "this field is required"
        elif not 3 <= len(title.strip()) <= 200:
            errors["title"] = "must be between 3 and 200 characters"
        else:
            cleaned["title"] = title.strip()

    if "body" in payload or not partial:
        body = payload.get("body")
        if not isinstance(body, str) or not body.strip():
            errors["body"] = "this field is required"
        else:
            cleaned["body"] = body

    if "status" in payload:
        status = payload["status"]
        if status not in Post.Status.values:
            errors["status"] = f"must be one of: {', '.join(Post.Status.values)}"
        else:
            cleaned["status"] = status

    if "slug" in payload:
        slug = payload["slug"]
        if not isinstance(slug, str) or not SLUG_RE.match(slug) or len(slug) > 200:
            errors["slug"] = "letters, numbers, underscores or hyphens only (at most 200)"
        else:
            cleaned["slug"] = slug.lower()
    elif not partial and "title" in cleaned:
        cleaned["slug"] = slugify(cleaned["title"])
    if "slug" in cleaned and "slug" not in errors:
        taken = Post.objects.filter(slug=cleaned["slug"])
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if not cleaned["slug"] or cleaned["slug"] in RESERVED_SLUGS:
            errors["slug"] = "this slug cannot be used"
        elif taken.exists():
            errors["slug"] = "a post with this slug already exists"

    if "tags" in payload:
        tags = payload["tags"]
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            errors["tags"] = "must be a list of tag slugs"
        else:
            found = list(Tag.objects.filter(slug__in=tags))
            unknown = sorted(set(tags) - {tag.slug for tag in found})
            if unknown:
                errors["tags"] = f"unknown tags: {', '.join(unknown)}"
            else:
                cleaned["tags"] = found

    status = cleaned.get("status", instance.status if instance else Post.Status.DRAFT)
    body = cleaned.get("body", instance.body if instance else "")
    too_short = len(body.strip()) < MIN_PUBLISHED_BODY
    if status == Post.Status.PUBLISHED and "body" not in errors and too_short:
        errors["body"] = (
            f"a published post needs a body of at least {MIN_PUBLISHED_BODY} characters"
        )
    return cleaned, errors


def create_post(request):
    if not request.user.is_authenticated:
        return error("authentication required", 401)
    payload = parse_json_object(request)
    if payload is None:
        return error("the request body must be a JSON object", 400)
    cleaned, errors = validate_post_payload(payload)
    if errors:
        return invalid(errors)
    tags = cleaned.pop("tags", [])
    post = Post.objects.create(author=request.user, **cleaned)
    post.tags.set(tags)
    response = JsonResponse(post_to_dict(post), status=201)
    response["Location"] = reverse("api:post_detail", kwargs={"pk": post.pk})
    return response


@csrf_exempt
@require_http_methods(["GET", "PATCH", "DELETE"])
def post_detail(request, pk):
    post = get_object_or_404(Post.objects.select_related("author"), pk=pk)
    if post.status == Post.Status.DRAFT and not (
        request.user.is_authenticated and can_edit(request.user, post)
    ):
        raise Http404("No Post matches the given query.")

    if request.method == "GET":
        return JsonResponse(post_to_dict(post))

    if not request.user.is_authenticated:
        return error("authentication required", 401)
    if not can_edit(request.user, post):
        return error("only the author or staff can change this post", 403)

    if request.method == "DELETE":
        post.delete()
        return HttpResponse(status=204)

    payload = parse_json_object(request)
    if payload is None:
        return error("the request body must be a JSON object", 400)
    cleaned, errors = validate_post_payload(payload, partial=True, instance=post)
    if errors:
        return invalid(errors)
    tags = cleaned.pop("tags", None)
    for field, value in cleaned.items():
        setattr(post, field, value)
    post.save()
    if tags is not None:
        post.tags.set(tags)
    return JsonResponse(post_to_dict(post))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def post_comments(request, pk):
    post = get_object_or_404(Post.published, pk=pk)
    if request.method == "GET":
        comments = post.comments.filter(approved=True)
        return JsonResponse(
            {"count": comments.count(), "results": [comment_to_dict(c) for c in comments]}
        )

    payload = parse_json_object(request)
    if payload is None:
        return error("the request body must be a JSON object", 400)
    errors = {}
    author_name = payload.get("author_name")
    if not isinstance(author_name, str) or not author_name.strip():
        errors["author_name"] = "this field is required"
    elif len(author_name) > 80:
        errors["author_name"] = "at most 80 characters"
    email = payload.get("email", "")
    if not isinstance(email, str):
        errors["email"] = "must be a string"
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "enter a valid email address"
    body = payload.get("body")
    if not isinstance(body, str) or not body.strip():
        errors["body"] = "this field is required"
    elif len(body) > 2000:
        errors["body"] = "at most 2000 characters"
    elif "http://" in body or "https://" in body:
        errors["body"] = "links are not allowed in comments"
    if errors:
        return invalid(errors)

    comment = Comment.objects.create(
        post=post, author_name=author_name.strip(), email=email, body=body
    )
    return JsonResponse(comment_to_dict(comment), status=201)


@require_GET
def tag_list(request):
    tags = Tag.objects.annotate(
        post_count=Count("posts", filter=Q(posts__status=Post.Status.PUBLISHED))
    )
    return JsonResponse(
        {"results": [{"name": t.name, "slug": t.slug, "post_count": t.post_count} for t in tags]}
    )


@require_GET
def archive_year(request, year):
    posts = (
        Post.published.filter(created__year=int(year))
        .select_related("author")
        .prefetch_related("tags")
    )
    return JsonResponse(
        {
            "year": int(year),
            "count": len(posts),
            "results": [post_summary(post) for post in posts],
        }
    )


@login_required
@require_GET
def me(request):
    user = request.user
    return JsonResponse(
        {
            "username": user.username,
            "is_staff": user.is_staff,
            "post_count": user.posts.count(),
            "draft_count": user.posts.filter(status=Post.Status.DRAFT).count(),
        }
    )
