"""Reading posts, tags and the archive through the JSON API."""

from legacy_examples.django_blog.blog import demo_data

from .helpers import find_post_id


def test_post_list_shows_published_posts_with_pagination_metadata(http):
    response = http.get("/api/posts/")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    page = response.json()
    assert page["page"] == 1
    assert page["page_size"] == 10
    assert page["count"] >= len(demo_data.published_posts())
    assert len(page["results"]) == 10
    assert page["previous"] is None
    assert page["next"] == "/api/posts/?page=2"
    assert {post["status"] for post in page["results"]} == {"published"}


def test_post_list_items_are_summaries(http):
    post = http.get("/api/posts/", params={"tag": "databases"}).json()["results"][0]

    assert set(post) == {
        "id",
        "title",
        "slug",
        "status",
        "author",
        "tags",
        "excerpt",
        "created",
        "updated",
        "url",
    }
    assert post["url"] == f"/posts/{post['slug']}/"


def test_post_list_filters_by_tag_newest_first(http):
    page = http.get("/api/posts/", params={"tag": "databases", "page_size": 50}).json()

    expected = demo_data.published_posts(tag="databases")
    assert page["count"] == len(expected)
    assert [post["slug"] for post in page["results"]] == [post.slug for post in expected]


def test_post_list_filter_on_unknown_tag_gives_an_empty_first_page(http):
    page = http.get("/api/posts/", params={"tag": "no-such-tag"}).json()

    assert page["count"] == 0
    assert page["results"] == []
    assert page["num_pages"] == 1


def test_post_list_search_ignores_case(http):
    page = http.get("/api/posts/", params={"search": "GUNICORN"}).json()

    assert [post["slug"] for post in page["results"]] == ["deploying-with-gunicorn"]


def test_post_list_filters_by_author_and_tag_together(http):
    page = http.get("/api/posts/", params={"author": "bob", "tag": "testing"}).json()

    expected = [p.slug for p in demo_data.published_posts(tag="testing") if p.author == "bob"]
    assert [post["slug"] for post in page["results"]] == expected


def test_post_list_last_page_holds_the_remainder(http):
    expected = demo_data.published_posts(tag="python")
    last = -(-len(expected) // 5)

    page = http.get("/api/posts/", params={"tag": "python", "page_size": 5, "page": last}).json()

    assert page["num_pages"] == last
    assert len(page["results"]) == len(expected) - 5 * (last - 1)
    assert page["next"] is None
    assert page["previous"] == f"/api/posts/?tag=python&page_size=5&page={last - 1}"


def test_post_list_page_past_the_end_is_404(http):
    response = http.get("/api/posts/", params={"tag": "python", "page": 99})

    assert response.status_code == 404
    assert response.json() == {"error": "page 99 does not exist"}


def test_post_list_page_zero_is_404(http):
    assert http.get("/api/posts/", params={"page": 0}).status_code == 404


def test_post_list_page_that_is_not_a_number_is_400(http):
    response = http.get("/api/posts/", params={"page": "two"})

    assert response.status_code == 400
    assert "page" in response.json()["errors"]


def test_post_list_page_size_above_the_maximum_is_400(http):
    response = http.get("/api/posts/", params={"page_size": 51})

    assert response.status_code == 400
    assert response.json()["errors"] == {"page_size": "must be between 1 and 50"}


def test_post_list_unknown_status_is_400(http):
    response = http.get("/api/posts/", params={"status": "archived"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"status": "must be one of: draft, published"}


def test_draft_list_needs_a_login(http):
    response = http.get("/api/posts/", params={"status": "draft"})

    assert response.status_code == 401
    assert response.json() == {"error": "log in to list drafts"}


def test_draft_list_of_a_user_holds_their_drafts(alice):
    for slug in ("notes-on-htmx", "orm-performance-checklist"):
        find_post_id(alice, demo_data.post(slug).title, status="draft")


def test_draft_list_of_a_user_leaves_out_other_users_drafts(alice):
    page = alice.get("/api/posts/", params={"status": "draft", "author": "bob"}).json()

    assert page["count"] == 0


def test_draft_list_of_staff_holds_everyones_drafts(admin):
    for slug in ("notes-on-htmx", "upcoming-python-release", "site-roadmap"):
        find_post_id(admin, demo_data.post(slug).title, status="draft")


def test_post_detail_has_the_body_and_approved_comment_count(http):
    seeded = demo_data.post("getting-started-with-django")
    post_id = find_post_id(http, seeded.title)

    response = http.get(f"/api/posts/{post_id}/")

    assert response.status_code == 200
    post = response.json()
    assert post["body"] == seeded.body
    assert post["tags"] == ["django", "python", "web"]
    assert post["comment_count"] == len(demo_data.approved_comments(seeded.slug))
    assert post["created"] == "2023-02-14T09:00:00+00:00"


def test_post_detail_of_a_missing_post_is_404(http):
    assert http.get("/api/posts/999999999/").status_code == 404


def test_post_detail_with_a_non_numeric_id_is_404(http):
    assert http.get("/api/posts/getting-started-with-django/").status_code == 404


def test_draft_detail_is_hidden_from_anonymous_visitors(alice, http):
    draft_id = find_post_id(alice, demo_data.post("notes-on-htmx").title, status="draft")

    assert http.get(f"/api/posts/{draft_id}/").status_code == 404
    assert alice.get(f"/api/posts/{draft_id}/").status_code == 200


def test_post_list_rejects_put_with_405_and_allow_header(http):
    response = http.put("/api/posts/", json={})

    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


def test_tag_list_counts_published_posts(http):
    response = http.get("/api/tags/")

    assert response.status_code == 200
    tags = {tag["slug"]: tag for tag in response.json()["results"]}
    assert tags["databases"]["name"] == "Databases"
    assert tags["databases"]["post_count"] == len(demo_data.published_posts(tag="databases"))


def test_tag_list_answers_only_get(http):
    response = http.head("/api/tags/")

    assert response.status_code == 405
    assert response.headers["allow"] == "GET"


def test_post_to_a_view_not_exempt_from_csrf_is_refused_before_the_method_check(http):
    # CsrfViewMiddleware runs before require_GET: 403, not 405
    assert http.post("/api/tags/", json={"name": "x"}).status_code == 403


def test_archive_lists_the_published_posts_of_a_year(http):
    response = http.get("/api/archive/2024/")

    assert response.status_code == 200
    archive = response.json()
    expected = demo_data.published_posts(year=2024)
    assert archive["year"] == 2024
    assert archive["count"] == len(expected)
    assert [post["slug"] for post in archive["results"]] == [post.slug for post in expected]


def test_archive_year_must_have_four_digits(http):
    assert http.get("/api/archive/24/").status_code == 404


def test_archive_without_trailing_slash_redirects_permanently(http):
    response = http.get("/api/archive/2024")

    assert response.status_code == 301
    assert response.headers["location"] == "/api/archive/2024/"
