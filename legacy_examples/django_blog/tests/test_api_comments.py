"""Comments through the JSON API: anyone may post one, it shows once approved."""

from legacy_examples.django_blog.blog import demo_data

from .helpers import find_post_id, unique


def test_comment_list_holds_only_approved_comments_oldest_first(http):
    slug = "getting-started-with-django"
    post_id = find_post_id(http, demo_data.post(slug).title)

    response = http.get(f"/api/posts/{post_id}/comments/")

    assert response.status_code == 200
    expected = demo_data.approved_comments(slug)
    assert response.json()["count"] == len(expected)
    assert [c["author_name"] for c in response.json()["results"]] == [
        c.author_name for c in expected
    ]


def test_new_comment_awaits_approval(http):
    post_id = find_post_id(http, demo_data.post("caching-http-responses").title)
    name = unique("Reader")

    response = http.post(
        f"/api/posts/{post_id}/comments/", json={"author_name": name, "body": "Nice post."}
    )

    assert response.status_code == 201
    assert response.json()["approved"] is False
    listed = http.get(f"/api/posts/{post_id}/comments/").json()["results"]
    assert name not in [comment["author_name"] for comment in listed]


def test_comment_without_name_and_with_a_bad_email_is_400(http):
    post_id = find_post_id(http, demo_data.post("caching-http-responses").title)

    response = http.post(
        f"/api/posts/{post_id}/comments/", json={"email": "not-an-email", "body": "Hello"}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "author_name": "this field is required",
        "email": "enter a valid email address",
    }


def test_comment_with_a_link_is_400(http):
    post_id = find_post_id(http, demo_data.post("caching-http-responses").title)

    response = http.post(
        f"/api/posts/{post_id}/comments/",
        json={"author_name": "Spammer", "body": "Visit https://spam.example"},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"body": "links are not allowed in comments"}


def test_drafts_take_no_comments(bob):
    draft_id = find_post_id(bob, demo_data.post("fixtures-vs-factories").title, status="draft")

    response = bob.post(
        f"/api/posts/{draft_id}/comments/", json={"author_name": "Bob", "body": "x"}
    )

    assert response.status_code == 404
