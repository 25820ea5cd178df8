"""The Django tutorial's polls app over HTTP, through the strangler front: what the app's own
tests.py asserts (and what its views and templates promise: voting, results, CSRF), asked of
a real server, for the project itself (`legacy`) and for the codemod's output of the app,
unedited (`new`); then one journey asked of both, whose answers must be identical.

The app's tests run each on a fresh database (Django's TestCase); here each test starts from
empty poll tables on its side's own database (the tests of one side run one at a time).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.corpus.polls_site import (
    APP_PACKAGE,
    NEW_PACKAGE,
    POLLS_ROUTES,
    Site,
    convert,
    copy_polls,
    write_config,
)
from tests.support import services
from tests.support.corpus import tree_digest
from tests.support.servers import running_front

pytestmark = pytest.mark.corpus

USERS = 16
VOTES_PER_USER = 5
NO_CHOICE = "You didn&#x27;t select a choice."  # the view's message, escaped by the template


def serve(folder: Path, side: str, pg_url: str | None = None) -> Iterator[tuple[str, Site]]:
    site = copy_polls(folder, pg_url)
    if side == "new":
        result = convert(site)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    config = write_config(site, side)
    with running_front(config, env=site.env, ready_path="/healthz") as url:
        yield url, site


@pytest.fixture(scope="session")
def legacy_side(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Site]]:
    yield from serve(tmp_path_factory.mktemp("polls-legacy"), "legacy")


@pytest.fixture(scope="session")
def new_side(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Site]]:
    yield from serve(tmp_path_factory.mktemp("polls-new"), "new")


GROUP = pytest.mark.xdist_group("corpus-polls")


@pytest.fixture(params=[pytest.param("legacy", marks=GROUP), pytest.param("new", marks=GROUP)])
def side(request: pytest.FixtureRequest) -> tuple[str, Site]:
    found: tuple[str, Site] = request.getfixturevalue(f"{request.param}_side")
    empty_polls(found[1])
    return found


@pytest.fixture
def base_url(side: tuple[str, Site]) -> str:
    return side[0]


@pytest.fixture
def site(side: tuple[str, Site]) -> Site:
    return side[1]


def empty_polls(site: Site) -> None:
    site.execute("DELETE FROM polls_choice")
    site.execute("DELETE FROM polls_question")


def client(base_url: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=60.0, follow_redirects=False)


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:10]}"


def listed_questions(page: str) -> list[str]:
    """The index's `latest_question_list`, as its template shows it."""
    return re.findall(r'<h5 class="poll-question">(.*?)</h5>', page)


def vote_counts(page: str) -> list[tuple[str, int]]:
    """Each choice of the results page with its votes."""
    pairs = re.findall(
        r'<div class="choice-text">(.*?)</div>\s*<div class="votes-count">(\d+) 票</div>', page
    )
    return [(text, int(votes)) for text, votes in pairs]


def total_votes(page: str) -> int:
    found = re.search(r'<div class="total-number">(\d+) 票</div>', page)
    assert found, "no total on the results page"
    return int(found.group(1))


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "no {% csrf_token %} in the page"
    return found.group(1)


def voter(base_url: str, question: int) -> tuple[httpx.Client, str]:
    """A client that opened the question's page: its csrftoken cookie and the form's token."""
    http = client(base_url)
    page = http.get(f"/polls/{question}/")
    assert page.status_code == 200
    assert "csrftoken" in http.cookies
    return http, csrf_token(page.text)


# What the app's tests.py asserts (QuestionIndexViewTests, QuestionDetailViewTests)


def test_no_questions_shows_the_empty_index(base_url: str) -> None:
    response = client(base_url).get("/polls/")
    assert response.status_code == 200
    assert "No Polls Available Yet" in response.text  # this release's "No polls are available."
    assert listed_questions(response.text) == []


def test_a_past_question_is_on_the_index(base_url: str, site: Site) -> None:
    site.add_question("Past question.", days=-30)
    assert listed_questions(client(base_url).get("/polls/").text) == ["Past question."]


def test_a_future_question_is_not_on_the_index(base_url: str, site: Site) -> None:
    site.add_question("Future question.", days=30)
    assert listed_questions(client(base_url).get("/polls/").text) == []


def test_only_past_questions_are_on_the_index(base_url: str, site: Site) -> None:
    site.add_question("Past question.", days=-30)
    site.add_question("Future question.", days=30)
    assert listed_questions(client(base_url).get("/polls/").text) == ["Past question."]


def test_the_index_lists_past_questions_newest_first(base_url: str, site: Site) -> None:
    site.add_question("Past question 1.", days=-30)
    site.add_question("Past question 2.", days=-5)
    page = client(base_url).get("/polls/").text
    assert listed_questions(page) == ["Past question 2.", "Past question 1."]


def test_the_index_lists_the_five_latest(base_url: str, site: Site) -> None:
    for day in range(1, 8):
        site.add_question(f"Question {day} days old.", days=-day)
    page = client(base_url).get("/polls/").text
    assert listed_questions(page) == [f"Question {day} days old." for day in range(1, 6)]


def test_a_future_question_detail_is_404(base_url: str, site: Site) -> None:
    question = site.add_question("Future question.", days=5)
    assert client(base_url).get(f"/polls/{question}/").status_code == 404


def test_a_past_question_detail_shows_its_text(base_url: str, site: Site) -> None:
    question = site.add_question("Past question.", days=-5, choices=("Yes", "No"))
    response = client(base_url).get(f"/polls/{question}/")
    assert response.status_code == 200
    assert '<h1 class="question-title">Past question.</h1>' in response.text
    assert f'action="/polls/{question}/vote/"' in response.text  # {% url 'polls:vote' %}
    assert "Yes" in response.text
    assert "No" in response.text


# What its views and templates promise: voting, results, CSRF


def test_the_index_links_each_question_to_its_pages(base_url: str, site: Site) -> None:
    question = site.add_question("Linked?", days=-1)
    page = client(base_url).get("/polls/").text
    assert f'href="/polls/{question}/"' in page
    assert f'href="/polls/{question}/results/"' in page


def test_a_missing_question_is_404_on_every_page(base_url: str) -> None:
    http = client(base_url)
    assert http.get("/polls/999999/").status_code == 404
    assert http.get("/polls/999999/results/").status_code == 404
    assert http.get("/polls/999999/vote/").status_code == 404


def test_a_vote_redirects_to_the_results_and_counts(base_url: str, site: Site) -> None:
    question = site.add_question(unique("Vote?"), days=-1, choices=("Yes", "No"))
    yes, _ = site.choice_ids(question)
    http, token = voter(base_url, question)
    response = http.post(
        f"/polls/{question}/vote/", data={"choice": yes, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/polls/{question}/results/"
    page = http.get(f"/polls/{question}/results/").text
    assert vote_counts(page) == [("Yes", 1), ("No", 0)]
    assert total_votes(page) == 1


def test_a_vote_without_a_choice_redisplays_the_form(base_url: str, site: Site) -> None:
    question = site.add_question(unique("Vote?"), days=-1, choices=("Yes",))
    http, token = voter(base_url, question)
    response = http.post(f"/polls/{question}/vote/", data={"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert NO_CHOICE in response.text
    assert site.execute("SELECT SUM(votes) FROM polls_choice")[0][0] == 0


def test_a_choice_of_another_question_is_no_choice(base_url: str, site: Site) -> None:
    question = site.add_question(unique("Vote?"), days=-1, choices=("Yes",))
    other = site.add_question(unique("Other?"), days=-1, choices=("Maybe",))
    [foreign] = site.choice_ids(other)
    http, token = voter(base_url, question)
    response = http.post(
        f"/polls/{question}/vote/", data={"choice": foreign, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200
    assert NO_CHOICE in response.text


def test_a_get_of_the_vote_url_redisplays_the_form(base_url: str, site: Site) -> None:
    question = site.add_question(unique("Vote?"), days=-1, choices=("Yes",))
    response = client(base_url).get(f"/polls/{question}/vote/")
    assert response.status_code == 200
    assert NO_CHOICE in response.text


def test_a_vote_without_a_csrf_token_is_refused(base_url: str, site: Site) -> None:
    question = site.add_question(unique("Vote?"), days=-1, choices=("Yes",))
    [yes] = site.choice_ids(question)
    http, _ = voter(base_url, question)  # the cookie, but no token in the form
    response = http.post(f"/polls/{question}/vote/", data={"choice": yes})
    assert response.status_code == 403
    assert "CSRF verification failed" in response.text
    no_cookie = client(base_url).post(f"/polls/{question}/vote/", data={"choice": yes})
    assert no_cookie.status_code == 403
    assert site.votes_by_django(yes) == 0


def test_a_forged_csrf_token_is_refused(base_url: str, site: Site) -> None:
    question = site.add_question(unique("Vote?"), days=-1, choices=("Yes",))
    [yes] = site.choice_ids(question)
    http, _ = voter(base_url, question)
    forged = "x" * 64
    response = http.post(
        f"/polls/{question}/vote/", data={"choice": yes, "csrfmiddlewaretoken": forged}
    )
    assert response.status_code == 403
    assert site.votes_by_django(yes) == 0


def test_the_header_token_is_accepted_as_the_form_field_is(base_url: str, site: Site) -> None:
    question = site.add_question(unique("Vote?"), days=-1, choices=("Yes",))
    [yes] = site.choice_ids(question)
    http, token = voter(base_url, question)
    response = http.post(
        f"/polls/{question}/vote/", data={"choice": yes}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 302
    assert site.votes_by_django(yes) == 1


def test_the_slashless_path_is_redirected_as_append_slash_does(base_url: str, site: Site) -> None:
    question = site.add_question(unique("Slash?"), days=-1)
    response = client(base_url).get(f"/polls/{question}")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/polls/{question}/"


def test_sixteen_users_voting_at_once_lose_no_vote(base_url: str, site: Site) -> None:
    question = site.add_question(unique("Busy?"), days=-1, choices=("A", "B", "C"))
    choices = site.choice_ids(question)

    def user(number: int) -> list[str]:
        http, token = voter(base_url, question)
        choice = choices[number % len(choices)]
        problems = []
        for _ in range(VOTES_PER_USER):
            answer = http.post(
                f"/polls/{question}/vote/", data={"choice": choice, "csrfmiddlewaretoken": token}
            )
            if answer.status_code != 302:
                problems.append(f"user {number}: {answer.status_code}")
        return problems

    with ThreadPoolExecutor(USERS) as pool:
        problems = [p for found in pool.map(user, range(USERS)) for p in found]
    assert not problems, problems[:20]
    expected = [
        VOTES_PER_USER * sum(1 for n in range(USERS) if n % len(choices) == index)
        for index in range(len(choices))
    ]
    assert [site.votes_by_django(choice) for choice in choices] == expected
    page = client(base_url).get(f"/polls/{question}/results/").text
    assert total_votes(page) == USERS * VOTES_PER_USER


# The new side: every polls route answered by the new app; tokens crossing sides


def served_sides(base_url: str) -> dict[str, set[str]]:
    """The sides the front answered each route template with, from its /metrics."""
    text = httpx.get(base_url + "/metrics", timeout=60).text
    sides: dict[str, set[str]] = {}
    for line in text.splitlines():
        found = re.match(r"strangler_requests_total\{(.*)\}", line)
        if found:
            labels = dict(re.findall(r'(\w+)="([^"]*)"', found.group(1)))
            sides.setdefault(labels.get("route", ""), set()).add(labels.get("side", ""))
    return sides


@GROUP
def test_every_polls_route_is_answered_by_the_new_app(new_side: tuple[str, Site]) -> None:
    base_url, site = new_side
    empty_polls(site)
    question = site.add_question(unique("Routed?"), days=-1, choices=("Yes",))
    [yes] = site.choice_ids(question)
    http, token = voter(base_url, question)
    assert http.get("/polls/").status_code == 200
    assert http.get(f"/polls/{question}/results/").status_code == 200
    assert http.get(f"/polls/{question}/vote/").status_code == 200
    vote = http.post(f"/polls/{question}/vote/", data={"choice": yes, "csrfmiddlewaretoken": token})
    assert vote.status_code == 302
    sides = served_sides(base_url)
    for path, _ in POLLS_ROUTES:
        assert sides.get(path) == {"new"}, (path, sides)
    report = json.loads((site.folder / "report.json").read_text())
    routes = {e["path"]: e for e in report if e["kind"] == "route"}
    assert sorted(routes) == sorted(path for path, _ in POLLS_ROUTES)
    assert all(entry["verified"] for entry in routes.values()), routes


@GROUP
def test_a_csrf_token_crosses_sides_both_ways(new_side: tuple[str, Site]) -> None:
    base_url, site = new_side
    empty_polls(site)
    question = site.add_question(unique("Cross?"), days=-1, choices=("Yes",))
    [yes] = site.choice_ids(question)
    # legacy's admin login page (not migrated) sets the cookie; the new vote route accepts it
    http = client(base_url)
    login_page = http.get("/admin/login/")
    assert login_page.status_code == 200
    vote = http.post(
        f"/polls/{question}/vote/",
        data={"choice": yes, "csrfmiddlewaretoken": csrf_token(login_page.text)},
    )
    assert vote.status_code == 302
    assert site.votes_by_django(yes) == 1
    # the new detail page's token passes legacy's CSRF check on the admin login form
    http, token = voter(base_url, question)
    login = http.post(
        "/admin/login/",
        data={"username": "nobody", "password": "wrong", "csrfmiddlewaretoken": token},
    )
    assert login.status_code == 200  # the form again, with its error: not a CSRF 403
    assert "Please enter the correct username and password" in login.text


@GROUP
def test_a_legacy_admin_login_holds_across_the_new_pages(new_side: tuple[str, Site]) -> None:
    base_url, site = new_side
    empty_polls(site)
    site.django(
        "from django.contrib.auth.models import User\n"
        "if not User.objects.filter(username='polladmin').exists():\n"
        "    User.objects.create_superuser('polladmin', '', 'pw-polladmin')\n"
    )
    question = site.add_question(unique("Session?"), days=-1, choices=("Yes",))
    [yes] = site.choice_ids(question)
    http, token = voter(base_url, question)  # the token of a new page logs in on legacy
    login = http.post(
        "/admin/login/?next=/admin/",
        data={"username": "polladmin", "password": "pw-polladmin", "csrfmiddlewaretoken": token},
    )
    assert login.status_code == 302
    assert "sessionid" in http.cookies
    session = http.cookies["sessionid"]
    # login rotated the CSRF token: the new page's form now carries the rotated one
    page = http.get(f"/polls/{question}/")
    assert page.status_code == 200
    vote = http.post(
        f"/polls/{question}/vote/",
        data={"choice": yes, "csrfmiddlewaretoken": csrf_token(page.text)},
    )
    assert vote.status_code == 302
    assert http.get("/polls/").status_code == 200
    assert http.cookies["sessionid"] == session  # the new side kept the legacy session
    assert http.get("/admin/").status_code == 200  # still logged in on legacy


# One journey, asked of both sides: the same answers


def journey(base_url: str, site: Site) -> list[tuple[object, ...]]:
    """Every page and answer of a visitor's round, with the ids taken out."""
    empty_polls(site)
    question = site.add_question("What's up?", days=-2, choices=("Not much", "The sky"))
    site.add_question("Later?", days=3)
    future = site.add_question("Future?", days=3)
    first, second = site.choice_ids(question)
    ids = {str(question): "Q", str(future): "F"}  # the ids paths hold (choices' may be equal)

    def plain(text: str) -> str:
        for raw, name in ids.items():
            text = re.sub(rf"(?<![\d]){raw}(?![\d])", name, text)
        return text

    http, token = voter(base_url, question)
    answers: list[httpx.Response] = [
        http.get("/polls/"),
        http.get(f"/polls/{question}/"),
        http.get(f"/polls/{future}/"),
        http.get(f"/polls/{question}/results/"),
        http.post(f"/polls/{question}/vote/", data={"choice": first}),  # no token
        http.post(f"/polls/{question}/vote/", data={"csrfmiddlewaretoken": token}),
        http.post(
            f"/polls/{question}/vote/", data={"choice": second, "csrfmiddlewaretoken": token}
        ),
        http.post(
            f"/polls/{question}/vote/", data={"choice": second, "csrfmiddlewaretoken": token}
        ),
        http.get(f"/polls/{question}/results/"),
        http.get("/polls/999999/"),
        http.get(f"/polls/{question}"),
    ]
    return [
        (
            answer.request.method,
            plain(answer.request.url.path),
            answer.status_code,
            plain(answer.headers.get("location", "")),
            answer.headers.get("content-type", ""),
            listed_questions(answer.text),
            vote_counts(answer.text),
            NO_CHOICE in answer.text,
            "CSRF verification failed" in answer.text,
            re.findall(r'<h1 class="question-title">(.*?)</h1>', answer.text),
        )
        for answer in answers
    ]


@GROUP
def test_both_sides_answer_a_visitor_identically(
    legacy_side: tuple[str, Site], new_side: tuple[str, Site]
) -> None:
    legacy = journey(*legacy_side)
    new = journey(*new_side)
    assert [step[2] for step in legacy] == [200, 200, 404, 200, 403, 200, 302, 302, 200, 404, 301]
    assert new == legacy


# PostgreSQL: the same concurrent votes on the codemod's output


@pytest.fixture(scope="session")
def new_side_on_postgres(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Site]]:
    services.require_postgres()
    with services.fresh_postgres_database("polls") as url:
        yield from serve(tmp_path_factory.mktemp("polls-new-pg"), "new", pg_url=url)


@pytest.mark.xdist_group("corpus-polls-pg")
def test_sixteen_users_voting_at_once_on_postgres_lose_no_vote(
    new_side_on_postgres: tuple[str, Site],
) -> None:
    base_url, site = new_side_on_postgres
    test_sixteen_users_voting_at_once_lose_no_vote(base_url, site)


# The conversion itself: the legacy tree untouched, a second run changing nothing


def test_the_codemod_leaves_the_app_alone_and_a_second_run_changes_nothing(
    tmp_path: Path,
) -> None:
    site = copy_polls(tmp_path)
    legacy_before = tree_digest(site.folder / APP_PACKAGE)
    first = convert(site)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    output = tree_digest(site.folder / NEW_PACKAGE)
    second = convert(site)
    assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-2000:]
    assert tree_digest(site.folder / NEW_PACKAGE) == output
    assert tree_digest(site.folder / APP_PACKAGE) == legacy_before
