"""Creating, changing and deleting posts through the JSON API (session-authenticated)."""

from legacy_examples.django_blog.blog import demo_data

from .helpers import LONG_ENOUGH_BODY, create_post, find_post_id, unique


def test_creating_a_post_needs_a_login(http):
    response = http.post("/api/posts/", json={"title": unique("Anonymous"), "body": "text"})

    assert response.status_code == 401
    assert response.json() == {"error": "authentication required"}


def test_created_post_is_a_draft_of_the_author_with_a_slug_from_its_title(alice):
    title = unique("Fresh Post")

    response = alice.post("/api/posts/", json={"title": title, "body": "Draft text."})

    assert response.status_code == 201
    post = response.json()
    assert post["author"] == "alice"
    assert post["status"] == "draft"
    assert post["slug"] == title.lower().replace(" ", "-")
    assert response.headers["location"] == f"/api/posts/{post['id']}/"


def test_created_post_can_be_read_back_at_its_location(alice):
    post = create_post(alice, status="published")

    response = alice.get(f"/api/posts/{post['id']}/")

    assert response.status_code == 200
    assert response.json()["title"] == post["title"]
    assert response.json()["body"] == LONG_ENOUGH_BODY


def test_create_with_a_body_that_is_not_json_is_400(alice):
    response = alice.post("/api/posts/", data={"title": "form encoded"})

    assert response.status_code == 400
    assert response.json() == {"error": "the request body must be a JSON object"}


def test_create_with_a_json_array_is_400(alice):
    response = alice.post("/api/posts/", json=["title", "body"])

    assert response.status_code == 400


def test_create_without_title_and_body_lists_both_errors(alice):
    response = alice.post("/api/posts/", json={})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "title": "this field is required",
        "body": "this field is required",
    }


def test_create_published_with_a_short_body_is_400(alice):
    response = alice.post(
        "/api/posts/", json={"title": unique("Short"), "body": "Too short.", "status": "published"}
    )

    assert response.status_code == 400
    assert "at least 20 characters" in response.json()["errors"]["body"]


def test_create_with_a_taken_slug_is_400(alice):
    response = alice.post(
        "/api/posts/",
        json={"title": unique("Copy"), "body": "text", "slug": "getting-started-with-django"},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"slug": "a post with this slug already exists"}


def test_create_with_a_reserved_slug_is_400(alice):
    response = alice.post("/api/posts/", json={"title": unique("New"), "body": "x", "slug": "new"})

    assert response.status_code == 400
    assert "slug" in response.json()["errors"]


def test_create_with_an_unknown_tag_is_400(alice):
    response = alice.post(
        "/api/posts/", json={"title": unique("Tagged"), "body": "x", "tags": ["python", "cobol"]}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"tags": "unknown tags: cobol"}


def test_author_can_patch_their_post(alice):
    post = create_post(alice)
    new_title = unique("Renamed")

    response = alice.patch(
        f"/api/posts/{post['id']}/", json={"title": new_title, "status": "published"}
    )

    assert response.status_code == 200
    assert response.json()["title"] == new_title
    assert response.json()["status"] == "published"
    assert response.json()["slug"] == post["slug"]


def test_patch_with_an_invalid_status_is_400_and_changes_nothing(alice):
    post = create_post(alice)

    response = alice.patch(f"/api/posts/{post['id']}/", json={"status": "archived"})

    assert response.status_code == 400
    assert alice.get(f"/api/posts/{post['id']}/").json()["status"] == "draft"


def test_other_users_cannot_patch_a_post(bob, http):
    seeded = demo_data.post("writing-pytest-fixtures")
    post_id = find_post_id(http, seeded.title)

    response = bob.patch(f"/api/posts/{post_id}/", json={"title": "Hijacked"})

    assert response.status_code == 403
    assert http.get(f"/api/posts/{post_id}/").json()["title"] == seeded.title


def test_staff_can_patch_any_post(alice, admin):
    post = create_post(alice, status="published")

    response = admin.patch(
        f"/api/posts/{post['id']}/", json={"body": LONG_ENOUGH_BODY + " Edited."}
    )

    assert response.status_code == 200
    assert response.json()["body"].endswith("Edited.")
    assert response.json()["author"] == "alice"


def test_author_can_delete_their_post(alice):
    post = create_post(alice)

    response = alice.delete(f"/api/posts/{post['id']}/")

    assert response.status_code == 204
    assert response.content == b""
    assert alice.get(f"/api/posts/{post['id']}/").status_code == 404


def test_deleting_needs_a_login(alice, http):
    post = create_post(alice, status="published")

    response = http.delete(f"/api/posts/{post['id']}/")

    assert response.status_code == 401
    assert http.get(f"/api/posts/{post['id']}/").status_code == 200


def test_post_detail_rejects_post_with_405(http):
    post_id = find_post_id(http, demo_data.post("sqlite-in-production").title)

    response = http.post(f"/api/posts/{post_id}/", json={})

    assert response.status_code == 405
    assert response.headers["allow"] == "GET, PATCH, DELETE"
