"""django_blog's JSON API, migrated to FastAPI by hand (there is no Django codemod yet).

    uvicorn migrated.django_blog.app:app

Routes: GET /api/tags/ and POST /api/posts/. Each answers as the legacy view in
legacy_examples/django_blog/blog/api.py does (status, JSON body and its key order, error bodies,
Location), on SQLAlchemy 2.0 over the legacy app's own tables and database (see `settings`), and
with the legacy session: a user logged in through Django's /accounts/login/ is logged in here.
"""
