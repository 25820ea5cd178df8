"""A test double of a migrated django_blog route (the codemods issue owns `migrated/django_blog`):
GET /api/tags/ answered by FastAPI over the blog's own SQLite file, in the JsonResponse format."""

from __future__ import annotations

import json
import os
import sqlite3

from fastapi import FastAPI, Response

app = FastAPI()

TAGS = """
SELECT t.name, t.slug,
       (SELECT COUNT(*) FROM blog_post_tags pt JOIN blog_post p ON p.id = pt.post_id
         WHERE pt.tag_id = t.id AND p.status = 'published') AS post_count
FROM blog_tag t ORDER BY t.name
"""


@app.get("/api/tags/")
def tag_list() -> Response:
    with sqlite3.connect(os.environ["DJANGO_BLOG_DB"]) as connection:
        rows = connection.execute(TAGS).fetchall()
    body = {"results": [{"name": n, "slug": s, "post_count": c} for n, s, c in rows]}
    return Response(json.dumps(body), media_type="application/json")
