"""The legacy `validate_post_payload` for a new post (blog/api.py), same checks, same order,
same messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from .models import Post, Tag
from .text import slugify

DRAFT, PUBLISHED = "draft", "published"
STATUSES = (DRAFT, PUBLISHED)
MIN_PUBLISHED_BODY = 20
RESERVED_SLUGS = frozenset({"new", "edit", "drafts"})  # blog/forms.py
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


@dataclass
class NewPost:
    """The cleaned values of a valid payload."""

    title: str = ""
    body: str = ""
    slug: str = ""
    status: str = DRAFT
    tags: list[Tag] = field(default_factory=list)


def validate_new_post(payload: dict[str, Any], session: Session) -> tuple[NewPost, dict[str, str]]:
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}

    title = payload.get("title")
    if not isinstance(title, str) or not title.strip():
        errors["title"] = "this field is required"
    elif not 3 <= len(title.strip()) <= 200:
        errors["title"] = "must be between 3 and 200 characters"
    else:
        cleaned["title"] = title.strip()

    body = payload.get("body")
    if not isinstance(body, str) or not body.strip():
        errors["body"] = "this field is required"
    else:
        cleaned["body"] = body

    if "status" in payload:
        status = payload["status"]
        if status not in STATUSES:
            errors["status"] = f"must be one of: {', '.join(STATUSES)}"
        else:
            cleaned["status"] = status

    if "slug" in payload:
        slug = payload["slug"]
        if not isinstance(slug, str) or not SLUG_RE.match(slug) or len(slug) > 200:
            errors["slug"] = "letters, numbers, underscores or hyphens only (at most 200)"
        else:
            cleaned["slug"] = slug.lower()
    elif "title" in cleaned:
        cleaned["slug"] = slugify(cleaned["title"])
    if "slug" in cleaned:
        if not cleaned["slug"] or cleaned["slug"] in RESERVED_SLUGS:
            errors["slug"] = "this slug cannot be used"
        elif session.scalar(select(exists().where(Post.slug == cleaned["slug"]))):
            errors["slug"] = "a post with this slug already exists"

    if "tags" in payload:
        tags = payload["tags"]
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            errors["tags"] = "must be a list of tag slugs"
        else:
            found = list(session.scalars(select(Tag).where(Tag.slug.in_(tags))))
            unknown = sorted(set(tags) - {tag.slug for tag in found})
            if unknown:
                errors["tags"] = f"unknown tags: {', '.join(unknown)}"
            else:
                cleaned["tags"] = found

    too_short = len(cleaned.get("body", "").strip()) < MIN_PUBLISHED_BODY
    if cleaned.get("status", DRAFT) == PUBLISHED and "body" not in errors and too_short:
        errors["body"] = (
            f"a published post needs a body of at least {MIN_PUBLISHED_BODY} characters"
        )
    return NewPost(**cleaned), errors
