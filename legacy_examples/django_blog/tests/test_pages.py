"""The HTML pages: lists, details, the comment form, the post form, the admin."""

import html

from legacy_examples.django_blog.blog import demo_data

from .helpers import LONG_ENOUGH_BODY, csrf_token, submit_form, unique

POST = demo_data.post("testing-django-views")
POST_URL = f"/posts/{POST.slug}/"
COMMENT_URL = f"/posts/{POST.slug}/comment/"


def test_home_page_lists_published_posts_ten_per_page(http):
    response = http.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text.count('<article class="post">') == 10
    assert "Page 1 of" in response.text


def test_home_page_past_the_last_page_is_404(http):
    assert http.get("/", params={"page": 999}).status_code == 404


def test_post_page_shows_the_post_and_its_approved_comments(http):
    response = http.get(POST_URL)

    assert response.status_code == 200
    assert f"<h1>{POST.title}</h1>" in response.text
    for comment in demo_data.approved_comments(POST.slug):
        assert html.escape(comment.body) in response.text


def test_post_page_hides_comments_awaiting_approval(http):
    response = http.get("/posts/getting-started-with-django/")

    assert "Buy cheap watches." not in response.text


def test_post_page_of_an_unknown_slug_is_404(http):
    assert http.get("/posts/no-such-post/").status_code == 404


def test_post_page_of_a_draft_is_404(http):
    assert http.get("/posts/notes-on-htmx/").status_code == 404


def test_post_page_without_trailing_slash_redirects_permanently(http):
    response = http.get(f"/posts/{POST.slug}")

    assert response.status_code == 301
    assert response.headers["location"] == POST_URL


def test_tag_page_lists_the_posts_of_the_tag(http):
    response = http.get("/tags/databases/")

    assert response.status_code == 200
    for post in demo_data.published_posts(tag="databases"):
        assert html.escape(post.title) in response.text
    assert html.escape(demo_data.post("writing-pytest-fixtures").title) not in response.text


def test_tag_page_of_an_unknown_tag_is_404(http):
    assert http.get("/tags/no-such-tag/").status_code == 404


def test_comment_page_shows_an_empty_form(http):
    response = http.get(COMMENT_URL)

    assert response.status_code == 200
    assert 'name="author_name"' in response.text
    assert 'name="csrfmiddlewaretoken"' in response.text


def test_comment_form_without_csrf_token_is_forbidden(http):
    http.get(POST_URL)

    response = http.post(COMMENT_URL, data={"author_name": "Eve", "body": "Hi"})

    assert response.status_code == 403


def test_comment_form_with_csrf_token_saves_and_redirects_to_the_post(http):
    name = unique("Reader")

    response = submit_form(http, POST_URL, COMMENT_URL, {"author_name": name, "body": "Thanks!"})

    assert response.status_code == 302
    assert response.headers["location"] == POST_URL
    page = http.get(POST_URL)
    assert "your comment will appear once it is approved" in page.text.lower()
    assert name not in page.text


def test_comment_form_errors_are_shown_with_200(http):
    response = submit_form(
        http, COMMENT_URL, COMMENT_URL, {"author_name": "Reader", "body": "Hi", "notify": "on"}
    )

    assert response.status_code == 200
    assert "Give an email address to be notified of replies." in response.text
    assert 'value="Reader"' in response.text


def test_comment_form_rejects_links(http):
    response = submit_form(
        http, COMMENT_URL, COMMENT_URL, {"author_name": "Reader", "body": "see http://x.example"}
    )

    assert response.status_code == 200
    assert "Links are not allowed in comments." in response.text


def test_new_post_page_redirects_anonymous_visitors_to_login(http):
    response = http.get("/posts/new/")

    assert response.status_code == 302
    assert response.headers["location"] == "/accounts/login/?next=/posts/new/"


def test_drafts_page_redirects_anonymous_visitors_to_login(http):
    response = http.get("/drafts/")

    assert response.status_code == 302
    assert response.headers["location"] == "/accounts/login/?next=/drafts/"


def test_drafts_page_lists_the_users_drafts(alice):
    response = alice.get("/drafts/")

    assert response.status_code == 200
    assert "Notes on htmx" in response.text
    assert "Site roadmap" not in response.text


def test_new_published_post_redirects_to_its_page(alice):
    title = unique("Form post")
    fields = {"title": title, "slug": "", "body": LONG_ENOUGH_BODY, "status": "published"}

    response = submit_form(alice, "/posts/new/", "/posts/new/", fields)

    assert response.status_code == 302
    assert response.headers["location"] == f"/posts/{title.lower().replace(' ', '-')}/"
    assert title in alice.get(response.headers["location"]).text


def test_new_draft_redirects_to_the_drafts_page(alice):
    title = unique("Form draft")
    fields = {"title": title, "slug": "", "body": "Not much yet.", "status": "draft"}

    response = submit_form(alice, "/posts/new/", "/posts/new/", fields)

    assert response.status_code == 302
    assert response.headers["location"] == "/drafts/"
    assert title in alice.get("/drafts/").text


def test_new_post_form_errors_are_shown_with_200(alice):
    fields = {
        "title": unique("Reserved"),
        "slug": "new",
        "body": LONG_ENOUGH_BODY,
        "status": "draft",
    }

    response = submit_form(alice, "/posts/new/", "/posts/new/", fields)

    assert response.status_code == 200
    assert "is reserved, choose another slug." in response.text


def test_new_post_form_checks_fields_together(alice):
    fields = {"title": unique("Thin"), "slug": "", "body": "Short.", "status": "published"}

    response = submit_form(alice, "/posts/new/", "/posts/new/", fields)

    assert response.status_code == 200
    assert "A published post needs a body of at least 20 characters" in response.text


def test_new_post_form_rejects_a_taken_slug(alice):
    fields = {
        "title": unique("Dup"),
        "slug": POST.slug,
        "body": LONG_ENOUGH_BODY,
        "status": "draft",
    }

    response = submit_form(alice, "/posts/new/", "/posts/new/", fields)

    assert response.status_code == 200
    assert "Post with this Slug already exists." in response.text


def test_new_post_form_without_csrf_token_is_forbidden(alice):
    response = alice.post(
        "/posts/new/", data={"title": unique("No token"), "body": "x", "status": "draft"}
    )

    assert response.status_code == 403


def test_admin_login_page_is_reachable(http):
    response = http.get("/admin/login/")

    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.text


def test_admin_redirects_anonymous_visitors_to_its_login(http):
    response = http.get("/admin/")

    assert response.status_code == 302
    assert response.headers["location"] == "/admin/login/?next=/admin/"


def test_admin_is_open_to_staff(admin):
    response = admin.get("/admin/blog/post/")

    assert response.status_code == 200
    assert "Select post to change" in response.text


def test_admin_is_closed_to_normal_users(alice):
    assert alice.get("/admin/").status_code == 302


def test_logout_button_carries_a_csrf_token(alice):
    assert csrf_token(alice.get("/").text)
