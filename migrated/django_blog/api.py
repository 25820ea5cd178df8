"""The migrated views of blog/api.py: `tag_list` and the POST half of `post_collection`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .database import read_session, write_session
from .django_auth import logged_in_user
from .models import Comment, Post, Tag, User, post_tags
from .responses import DjangoJSONResponse, error, invalid
from .settings import SESSION_COOKIE_NAME, secret_key
from .validation import PUBLISHED, validate_new_post

router = APIRouter(prefix="/api")

# Tag.objects.annotate(post_count=Count("posts", filter=Q(posts__status="published"))), by name
TAGS_WITH_PUBLISHED_COUNT = (
    select(
        Tag.name,
        Tag.slug,
        func.count(post_tags.c.post_id).filter(Post.status == PUBLISHED).label("post_count"),
    )
    .outerjoin(post_tags, post_tags.c.tag_id == Tag.id)
    .outerjoin(Post, Post.id == post_tags.c.post_id)
    .group_by(Tag.id, Tag.name, Tag.slug)
    .order_by(Tag.name)
)


@router.get("/tags/")
def tag_list(session: Annotated[Session, Depends(read_session)]) -> DjangoJSONResponse:
    rows = session.execute(TAGS_WITH_PUBLISHED_COUNT)
    return DjangoJSONResponse(
        {"results": [{"name": n, "slug": s, "post_count": c} for n, s, c in rows]}
    )


async def raw_body(request: Request) -> bytes:
    return await request.body()


def parse_json_object(body: bytes) -> dict[str, Any] | None:
    """The request body as a dict, or None when it is not a JSON object."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


def post_to_dict(post: Post, comment_count: int) -> dict[str, Any]:
    """The legacy `post_to_dict`: `post_summary` without the excerpt, then body and comments."""
    return {
        "id": post.id,
        "title": post.title,
        "slug": post.slug,
        "status": post.status,
        "author": post.author.username,
        "tags": [tag.slug for tag in post.tags],
        "created": post.created.isoformat(),
        "updated": post.updated.isoformat(),
        "url": f"/posts/{post.slug}/",
        "body": post.body,
        "comment_count": comment_count,
    }


@router.post("/posts/")
def create_post(
    request: Request,
    body: Annotated[bytes, Depends(raw_body)],
    session: Annotated[Session, Depends(write_session)],
) -> DjangoJSONResponse:
    user = logged_in_user(session, request.cookies.get(SESSION_COOKIE_NAME), secret_key())
    if user is None:
        return error("authentication required", 401, session_read=True)
    payload = parse_json_object(body)
    if payload is None:
        return error("the request body must be a JSON object", 400, session_read=True)
    cleaned, errors = validate_new_post(payload, session)
    if errors:
        return invalid(errors, session_read=True)
    post = insert_post(session, user, cleaned.title, cleaned.body, cleaned.slug, cleaned.status)
    post.tags = cleaned.tags
    session.flush()
    session.refresh(post, ["tags"])  # in the relationship's order, as post.tags.all() reads
    comment_count = session.scalar(
        select(func.count()).where(Comment.post_id == post.id, Comment.approved.is_(True))
    )
    session.commit()
    return DjangoJSONResponse(
        post_to_dict(post, comment_count or 0),
        201,
        {"location": f"/api/posts/{post.id}/"},
        session_read=True,
    )


def insert_post(
    session: Session, author: User, title: str, body: str, slug: str, status: str
) -> Post:
    # auto_now_add and auto_now each take their own timezone.now(), created first
    created = datetime.now(UTC)
    post = Post(
        title=title,
        body=body,
        slug=slug,
        status=status,
        author=author,
        created=created,
        updated=datetime.now(UTC),
    )
    session.add(post)
    session.flush()
    return post
