"""Both sides in one process: the legacy django_blog through Django's test client, and a small
FastAPI app on the Django runtime through Starlette's test client, on one test database
(committed, as the FastAPI side runs its Django code on other threads)."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.codemods.runtime.django.fastapi_app import create_app
from tests.support import services

TEMPLATES = Path(__file__).parent / "templates"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # only the tests' users
SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "signed_cookies": "django.contrib.sessions.backends.signed_cookies",
    "cache": "django.contrib.sessions.backends.cache",
    "cached_db": "django.contrib.sessions.backends.cached_db",
}


@dataclass(frozen=True)
class Account:
    username: str
    password: str


@pytest.fixture(autouse=True)
def runtime_settings(settings: Any, transactional_db: None) -> Any:
    """The blog's settings, with this folder's templates and a fast password hasher."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [str(TEMPLATES)]
    settings.TEMPLATES = templates
    settings.PASSWORD_HASHERS = FAST_HASHER
    return settings


@pytest.fixture(params=sorted(SESSION_ENGINES))
def session_engine(request: pytest.FixtureRequest, runtime_settings: Any) -> str:
    """Each session backend in turn; the cache and cached_db ones on the real Redis server."""
    name: str = request.param
    if name in ("cache", "cached_db"):
        runtime_settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": services.require_redis(),
                "KEY_PREFIX": f"runtime-{uuid.uuid4().hex[:8]}",
            }
        }
    runtime_settings.SESSION_ENGINE = SESSION_ENGINES[name]
    return name


@pytest.fixture
def account(transactional_db: None) -> Account:
    from django.contrib.auth.models import User

    account = Account(f"user-{uuid.uuid4().hex[:8]}", "correct horse battery")
    User.objects.create_user(account.username, password=account.password)
    return account


@pytest.fixture
def fastapi_client() -> Iterator[TestClient]:
    with TestClient(create_app(), base_url="http://testserver") as client:
        yield client


@pytest.fixture
def django_client() -> Any:
    from django.test import Client

    return Client(enforce_csrf_checks=True)
