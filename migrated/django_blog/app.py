"""The migrated django_blog app: `uvicorn migrated.django_blog.app:app`."""

from fastapi import FastAPI

from .api import router

app = FastAPI(title="django_blog (migrated)")
app.include_router(router)
