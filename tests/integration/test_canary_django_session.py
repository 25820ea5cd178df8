"""A canary keeps a user signed in to the legacy Django app on one side, whatever session (device,
cookie jar) the user comes with: the front reads `_auth_user_id` with the session engine the
Django settings name (database, signed cookies, cache), from the cookie they name.

django_blog behind `strangler serve`, `/api/me/` in canary; alice and bob each log in twice
(two cookie jars, two sessions) and ask 100 times with each: one lands on new every time, the
other on legacy every time, and the front says it chose by the user."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

import httpx
import pytest

from legacy_examples.django_blog.blog.demo_data import ALICE, BOB, DemoUser
from legacy_examples.django_blog.testing_server import blog_environment, prepare_database
from legacy_examples.django_blog.tests.helpers import login
from proxy.canary_assignment import CanaryAssigner
from proxy.store import RouteKey
from tests.support import blog_settings
from tests.support.servers import running_front

pytestmark = pytest.mark.slow
ROUTE = str(RouteKey.of("/api/me/", ["GET"]))
REQUESTS = 100
BACKENDS = {
    "database": ("django.contrib.sessions.backends.db", "sessionid"),
    "signed_cookies": ("django.contrib.sessions.backends.signed_cookies", "blog_session"),
    "cache": ("django.contrib.sessions.backends.cache", "sessionid"),
}


@pytest.fixture(scope="module")
def blog_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = blog_environment(
        sqlite_path=tmp_path_factory.mktemp("canary_blog") / "blog.sqlite3",
        settings_module=blog_settings.__name__,
    )
    prepare_database(env)
    return env


def user_ids(env: dict[str, str]) -> dict[str, str]:
    with sqlite3.connect(env["DJANGO_BLOG_DB"]) as db:
        return {name: str(pk) for pk, name in db.execute("SELECT id, username FROM auth_user")}


def secret_and_weight(ids: list[str]) -> tuple[str, int]:
    """A canary key that puts the two users in different buckets, and the weight between them
    (the lower bucket is on new, the higher on legacy)."""
    for n in range(100):
        secret = f"the canary key of the django session test {n}"
        assigner = CanaryAssigner(secret.encode())
        low, high = sorted(assigner.bucket(ROUTE, f"user:{pk}") for pk in ids)
        if low < high:
            return secret, high
    raise AssertionError("no key separates the two users")


def config_text(secret: str, weight: int) -> str:
    return f"""
[legacy]
app = "legacy_examples.django_blog.config.wsgi:application"

[migrated]
app = "migrated.django_blog:create_app"

[canary]
cookie_secret = "{secret}"

[[routes]]
path = "/api/me/"
mode = "canary"
weight = {weight}
rollback = {{ enabled = false }}  # the sides' latencies on a loaded test machine are not judged
"""


@pytest.fixture(params=list(BACKENDS), scope="module")
def front(
    request: pytest.FixtureRequest,
    blog_env: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, dict[str, str], int, str]]:
    engine, cookie = BACKENDS[request.param]
    ids = user_ids(blog_env)
    secret, weight = secret_and_weight([ids[ALICE.username], ids[BOB.username]])
    config = tmp_path_factory.mktemp("canary_front") / "strangler.toml"
    config.write_text(config_text(secret, weight))
    env = {
        **blog_env,
        "DJANGO_SETTINGS_MODULE": "tests.integration.blog_session_settings",
        "BLOG_SESSION_ENGINE": engine,
        "BLOG_SESSION_COOKIE_NAME": cookie,
    }
    with running_front(config, env=env) as url:
        yield url, ids, weight, secret


def assignments(url: str) -> dict[tuple[str, str], float]:
    metrics = httpx.get(f"{url}/metrics").text
    pattern = re.compile(
        r'strangler_canary_assignments_total\{reason="(\w+)",route="GET /api/me/",'
        r'side="(\w+)"\} (\S+)'
    )
    return {(side, reason): float(count) for reason, side, count in pattern.findall(metrics)}


def side_of(user: DemoUser, ids: dict[str, str], secret: str, weight: int) -> str:
    bucket = CanaryAssigner(secret.encode()).bucket(ROUTE, f"user:{ids[user.username]}")
    return "new" if bucket < weight else "legacy"


def test_a_user_lands_on_one_side_with_every_session_of_theirs_both_ways(
    front: tuple[str, dict[str, str], int, str],
) -> None:
    url, ids, weight, secret = front
    sides = {user.username: side_of(user, ids, secret, weight) for user in (ALICE, BOB)}
    assert sorted(sides.values()) == ["legacy", "new"]  # one user each way

    for user in (ALICE, BOB):
        before = assignments(url)
        jars = [httpx.Client(base_url=url) for _ in range(2)]
        for jar in jars:
            login(jar, user.username, user.password)
        assert jars[0].cookies != jars[1].cookies  # two sessions of one user
        for jar in jars:
            for _ in range(REQUESTS):
                response = jar.get("/api/me/")
                assert response.status_code == 200, response.text
                assert response.json()["username"] == user.username
            jar.close()
        after = assignments(url)
        moved = {key: after.get(key, 0.0) - before.get(key, 0.0) for key in after}
        expected = {(sides[user.username], "user"): 2.0 * REQUESTS}
        assert {key: n for key, n in moved.items() if n} == expected, user.username
