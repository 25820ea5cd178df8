"""Django REST framework views served by `class_view` (what the codemod generates for them)
answer what DRF answers for the same view through Django: authentication and permission
refusals (401 or 403, and DRF's WWW-Authenticate rules), CSRF for session-authenticated
writes, serializer errors, pagination, filter backends, a ViewSet's actions, `@api_view`
functions and DRF's 405. Each test asks both sides the same thing and compares status, body
and the headers DRF sets."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.urls import include, path
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rest_framework import filters, serializers
from rest_framework.authentication import (
    BasicAuthentication,
    SessionAuthentication,
    TokenAuthentication,
)
from rest_framework.decorators import api_view
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.generics import ListAPIView, ListCreateAPIView, RetrieveUpdateDestroyAPIView
from rest_framework.pagination import LimitOffsetPagination, PageNumberPagination
from rest_framework.permissions import (
    AllowAny,
    IsAdminUser,
    IsAuthenticated,
    IsAuthenticatedOrReadOnly,
)
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView
from rest_framework.viewsets import ModelViewSet

from codemods.runtime.django.app import install
from codemods.runtime.django.convertors import regex_convertor
from codemods.runtime.django.drf import drf_route
from codemods.runtime.django.drf_access import drf_access
from codemods.runtime.django.views import class_view
from legacy_examples.django_blog.blog.models import Post
from tests.codemods.runtime.django.sides import to_fastapi

pytestmark = pytest.mark.urls(__name__)
TOKENS = {"good-token": "writer"}
EVERY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


class DictTokenAuthentication(TokenAuthentication):
    """DRF's token header parsing and refusals, its tokens in a dict (no authtoken table)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, str]:
        from django.contrib.auth.models import User

        if key not in TOKENS:
            raise AuthenticationFailed("Invalid token.")
        return User.objects.get(username=TOKENS[key]), key


class PostSerializer(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ["id", "title", "slug", "body", "status"]

    def validate_title(self, value: str) -> str:
        if value.lower() == value:
            raise serializers.ValidationError("Start the title with a capital.")
        return value

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("slug") == "forbidden":
            raise serializers.ValidationError("This slug is reserved.")
        return data


class Whoami(APIView):
    authentication_classes = [SessionAuthentication, DictTokenAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request: Any) -> Response:
        return Response({"username": request.user.username})

    def post(self, request: Any) -> Response:
        return Response({"posted": request.data}, status=201)


class TokenFirst(Whoami):
    authentication_classes = [DictTokenAuthentication, SessionAuthentication]


class BasicOnly(Whoami):
    authentication_classes = [BasicAuthentication]


class AdminOnly(Whoami):
    permission_classes = [IsAdminUser]


class Page2(PageNumberPagination):
    page_size = 2  # DRF reads PAGE_SIZE once, at import: the tests set it on the class


class Offset5(LimitOffsetPagination):
    default_limit = 5


class Posts(ListCreateAPIView):
    queryset = Post.objects.order_by("id")
    serializer_class = PostSerializer
    authentication_classes = [SessionAuthentication, DictTokenAuthentication]
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = Page2
    filter_backends = [filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["title"]
    ordering_fields = ["id", "title"]

    def perform_create(self, serializer: Any) -> None:
        serializer.save(author=self.request.user)


class Page3(PageNumberPagination):
    page_size = 3


class PostsByOffset(ListAPIView):
    queryset = Post.objects.order_by("id")
    serializer_class = PostSerializer
    permission_classes = [AllowAny]
    pagination_class = Offset5


class OnePost(RetrieveUpdateDestroyAPIView):
    queryset = Post.objects.all()
    serializer_class = PostSerializer
    authentication_classes = [DictTokenAuthentication]
    permission_classes = [IsAuthenticatedOrReadOnly]


class PostViewSet(ModelViewSet):
    queryset = Post.objects.order_by("id")
    serializer_class = PostSerializer
    authentication_classes = [DictTokenAuthentication]
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = Page3

    def perform_create(self, serializer: Any) -> None:
        serializer.save(author=self.request.user)


@api_view(["GET", "POST"])
def ping(request: Any) -> Response:
    return Response({"method": request.method, "data": request.data})


def csrf_token(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"token": get_token(request)})


drf_router = DefaultRouter()
drf_router.register("routed", PostViewSet)
LIST_ACTIONS = {"get": "list", "post": "create"}
DETAIL_ACTIONS = {
    "get": "retrieve",
    "put": "update",
    "patch": "partial_update",
    "delete": "destroy",
}
urlpatterns = [
    path("whoami/", Whoami.as_view()),
    path("token-first/", TokenFirst.as_view()),
    path("basic/", BasicOnly.as_view()),
    path("admin-only/", AdminOnly.as_view()),
    path("posts/", Posts.as_view()),
    path("posts-by-offset/", PostsByOffset.as_view()),
    path("posts/<int:pk>/", OnePost.as_view()),
    path("set/posts/", PostViewSet.as_view(LIST_ACTIONS)),
    path("set/posts/<int:pk>/", PostViewSet.as_view(DETAIL_ACTIONS)),
    path("ping/", ping),
    path("csrf/", csrf_token),
    path("api/", include(drf_router.urls)),
]


def migrated_app() -> FastAPI:
    """The routes the codemod writes for the patterns above."""
    app = FastAPI()
    install(app)
    add = app.add_api_route
    for url, view in (
        ("/whoami/", Whoami.as_view()),
        ("/token-first/", TokenFirst.as_view()),
        ("/basic/", BasicOnly.as_view()),
        ("/admin-only/", AdminOnly.as_view()),
        ("/posts/", Posts.as_view()),
        ("/posts-by-offset/", PostsByOffset.as_view()),
        ("/set/posts/", PostViewSet.as_view(LIST_ACTIONS)),
        ("/ping/", ping),
    ):
        add(url, class_view(view), methods=EVERY_METHOD)
    add("/posts/{pk:int}/", class_view(OnePost.as_view(), pk=int), methods=EVERY_METHOD)
    add(
        "/set/posts/{pk:int}/",
        class_view(PostViewSet.as_view(DETAIL_ACTIONS), pk=int),
        methods=EVERY_METHOD,
    )
    lookup, suffix = (
        regex_convertor("re_lookup", "[^/.]+"),
        regex_convertor("re_format", "[a-z0-9]+"),
    )
    slash = regex_convertor("re_slash", "/?")
    for url, name in (
        ("/api/routed/", "post-list"),
        (f"/api/routed.{{format:{suffix}}}{{s:{slash}}}", "post-list"),
        (f"/api/routed/{{pk:{lookup}}}/", "post-detail"),
        (f"/api/routed/{{pk:{lookup}}}.{{format:{suffix}}}{{s:{slash}}}", "post-detail"),
        ("/api/", "api-root"),
    ):
        types = {p: str for p in ("pk", "format") if "{" + p in url}
        add(url, class_view(drf_route(drf_router, name), **types), methods=EVERY_METHOD, name=name)
    for url, view_class in (
        ("/ported/whoami/", Whoami),
        ("/ported/token-first/", TokenFirst),
        ("/ported/basic/", BasicOnly),
        ("/ported/admin-only/", AdminOnly),
    ):
        add(url, ported(view_class), methods=["GET", "POST"])
    return app


def ported(view_class: type[APIView]) -> Any:
    """The view ported by hand to a FastAPI handler, its classes kept as a `drf_access`
    dependency."""
    access = drf_access(view_class)

    def handler(user: Any = access) -> dict[str, str]:
        return {"username": user.username}

    return handler


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(migrated_app(), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def writer(transactional_db: None) -> Any:
    from django.contrib.auth.models import User

    user = User.objects.create_user("writer", password="pw")
    for number in range(7):
        Post.objects.create(
            title=f"Post {number}", slug=f"post-{number}", body="b", author=user,
            status=Post.Status.PUBLISHED,
        )  # fmt: skip
    return user


DRF_HEADERS = ("content-type", "www-authenticate", "allow", "vary")


def same_answer(ours: Any, theirs: Any) -> None:
    """Status, JSON body and the headers DRF sets, equal on both sides."""
    assert ours.status_code == theirs.status_code, (ours.text, theirs.content)
    assert ours.content == theirs.content
    for header in DRF_HEADERS:
        assert ours.headers.get(header) == theirs.headers.get(header), header


def ask_both(client: TestClient, django_client: Any, method: str, url: str, **options: Any) -> None:
    headers: dict[str, str] = options.pop("headers", {})
    body = options.pop("json", None)
    ours = client.request(method, url, headers=headers, json=body)
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    if body is not None:
        extra["content_type"] = "application/json"
        theirs = getattr(django_client, method.lower())(url, body, **extra)
    else:
        theirs = getattr(django_client, method.lower())(url, **extra)
    same_answer(ours, theirs)


def basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_an_anonymous_request_is_refused_with_403_when_session_auth_comes_first(
    client: TestClient, django_client: Any, writer: Any
) -> None:
    ask_both(client, django_client, "GET", "/whoami/")


def test_an_anonymous_request_is_refused_with_401_and_the_token_challenge_when_token_first(
    client: TestClient, django_client: Any, writer: Any
) -> None:
    ours = client.get("/token-first/")
    assert (ours.status_code, ours.headers["www-authenticate"]) == (401, "Token")
    ask_both(client, django_client, "GET", "/token-first/")


@pytest.mark.parametrize(
    "authorization",
    ["Token good-token", "Token bad-token", "Token", "Token two words", "Bearer good-token"],
)
def test_a_token_is_accepted_or_refused_as_drf_does(
    client: TestClient, django_client: Any, writer: Any, authorization: str
) -> None:
    ask_both(
        client, django_client, "GET", "/token-first/", headers={"Authorization": authorization}
    )


@pytest.mark.parametrize(
    "headers", [basic("writer", "pw"), basic("writer", "wrong"), {"Authorization": "Basic ???"}, {}]
)
def test_basic_authentication_accepts_or_challenges_with_the_realm(
    client: TestClient, django_client: Any, writer: Any, headers: dict[str, str]
) -> None:
    ask_both(client, django_client, "GET", "/basic/", headers=headers)


def test_is_admin_user_refuses_a_logged_in_user_who_is_not_staff(
    client: TestClient, django_client: Any, writer: Any
) -> None:
    ask_both(
        client, django_client, "GET", "/admin-only/", headers={"Authorization": "Token good-token"}
    )


def test_a_session_authenticated_write_needs_drfs_csrf_check_on_both_sides(
    client: TestClient, django_client: Any, writer: Any
) -> None:
    django_client.login(username="writer", password="pw")
    token = django_client.get("/csrf/").json()["token"]
    to_fastapi(django_client, client)
    ask_both(client, django_client, "GET", "/whoami/")
    ask_both(client, django_client, "POST", "/whoami/", json={"a": 1})  # no token: 403
    headers = {"X-CSRFToken": token}
    ours = client.post("/whoami/", json={"a": 1}, headers=headers)
    assert (ours.status_code, ours.json()) == (201, {"posted": {"a": 1}})
    ask_both(client, django_client, "POST", "/whoami/", json={"a": 1}, headers=headers)


def test_a_token_authenticated_write_needs_no_csrf_token(
    client: TestClient, django_client: Any, writer: Any
) -> None:
    headers = {"Authorization": "Token good-token"}
    ask_both(client, django_client, "POST", "/whoami/", json={"a": 1}, headers=headers)


@pytest.mark.parametrize(
    "url",
    ["/posts/", "/posts/?page=2", "/posts/?page=9", "/posts/?search=3", "/posts/?ordering=-title"],
)
def test_a_list_pages_filters_and_orders_as_drf_does(
    client: TestClient, django_client: Any, writer: Any, url: str
) -> None:
    ask_both(client, django_client, "GET", url)


@pytest.mark.parametrize("query", ["", "?limit=2", "?limit=2&offset=4", "?offset=x"])
def test_limit_offset_pagination_answers_the_same_page_and_links(
    client: TestClient, django_client: Any, writer: Any, query: str
) -> None:
    ask_both(client, django_client, "GET", "/posts-by-offset/" + query)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title": "lower", "slug": "s", "body": "b"},
        {"title": "Fine", "slug": "forbidden", "body": "b"},
        {"title": "Fine", "slug": "bad slug!", "body": "b", "status": "nope"},
        {"title": "x" * 201, "slug": "post-1", "body": ""},
    ],
)
def test_serializer_errors_answer_drfs_400_field_lists(
    client: TestClient, django_client: Any, writer: Any, body: dict[str, Any]
) -> None:
    headers = {"Authorization": "Token good-token"}
    ask_both(client, django_client, "POST", "/posts/", json=body, headers=headers)


def test_a_valid_create_is_saved_and_answered_with_201(
    client: TestClient, django_client: Any, writer: Any
) -> None:
    headers = {"Authorization": "Token good-token"}
    ours = client.post(
        "/posts/", json={"title": "New", "slug": "new", "body": "b"}, headers=headers
    )
    assert ours.status_code == 201
    assert ours.json() == {
        "id": ours.json()["id"], "title": "New", "slug": "new", "body": "b", "status": "draft",
    }  # fmt: skip
    assert Post.objects.filter(slug="new").count() == 1
    same_answer(
        client.get(f"/posts/{ours.json()['id']}/"),
        django_client.get(f"/posts/{ours.json()['id']}/"),
    )


def test_a_retrieve_update_destroy_view_answers_each_method_as_drf_does(
    client: TestClient, django_client: Any, writer: Any
) -> None:
    first = Post.objects.order_by("id").first()
    assert first is not None
    url = f"/posts/{first.pk}/"
    token = {"Authorization": "Token good-token"}
    ask_both(client, django_client, "GET", url)
    ask_both(client, django_client, "GET", "/posts/999999/")
    ask_both(client, django_client, "PATCH", url, json={"title": "Renamed"})  # anonymous
    ask_both(client, django_client, "PATCH", url, json={"title": "Renamed"}, headers=token)
    ask_both(client, django_client, "PUT", url, json={"title": "Only"}, headers=token)
    ask_both(client, django_client, "OPTIONS", url)


def test_a_viewset_answers_its_router_actions(
    client: TestClient, django_client: Any, writer: Any
) -> None:
    token = {"Authorization": "Token good-token"}
    first = Post.objects.order_by("id").first()
    assert first is not None
    ask_both(client, django_client, "GET", "/set/posts/")
    ask_both(client, django_client, "GET", "/set/posts/?page=3")
    ask_both(client, django_client, "GET", f"/set/posts/{first.pk}/")
    ask_both(
        client,
        django_client,
        "PATCH",
        f"/set/posts/{first.pk}/",
        json={"body": "new"},
        headers=token,
    )
    ask_both(client, django_client, "POST", "/set/posts/", json={"title": "lower"}, headers=token)
    ours = client.delete(f"/set/posts/{first.pk}/", headers=token)
    assert (ours.status_code, ours.content) == (204, b"")
    ask_both(client, django_client, "DELETE", f"/set/posts/{first.pk}/", headers=token)


def test_a_method_the_view_has_no_handler_for_is_drfs_json_405(
    client: TestClient, django_client: Any, writer: Any
) -> None:
    ask_both(client, django_client, "DELETE", "/posts-by-offset/")
    ask_both(client, django_client, "PUT", "/ping/", json={})


def test_an_api_view_function_answers_its_methods(
    client: TestClient, django_client: Any, writer: Any
) -> None:
    ask_both(client, django_client, "GET", "/ping/")
    ask_both(client, django_client, "POST", "/ping/", json={"x": [1, 2]})
    ask_both(client, django_client, "OPTIONS", "/ping/")


def test_a_page_carries_drfs_count_and_absolute_links(client: TestClient, writer: Any) -> None:
    page = client.get("/posts/?page=2").json()
    assert (page["count"], len(page["results"])) == (7, 2)
    assert page["next"] == "http://testserver/posts/?page=3"
    assert page["previous"] == "http://testserver/posts/"
    offset = client.get("/posts-by-offset/?limit=2&offset=4").json()
    assert offset["next"] == "http://testserver/posts-by-offset/?limit=2&offset=6"


def test_a_routers_routes_serve_the_views_drf_made_for_them(
    client: TestClient, django_client: Any, writer: Any
) -> None:
    first = Post.objects.order_by("id").first()
    assert first is not None
    token = {"Authorization": "Token good-token"}
    for url in ("/api/", "/api/routed/", "/api/routed.json", f"/api/routed/{first.pk}/"):
        ask_both(client, django_client, "GET", url)
    ask_both(client, django_client, "GET", f"/api/routed/{first.pk}.json")
    ask_both(client, django_client, "OPTIONS", "/api/routed/")
    ask_both(client, django_client, "PUT", f"/api/routed/{first.pk}/", json={}, headers=token)
    ask_both(client, django_client, "POST", "/api/routed/", json={}, headers=token)


def test_drf_route_names_a_route_the_router_does_not_have() -> None:
    with pytest.raises(LookupError, match="no route named 'post-nothing'"):
        drf_route(drf_router, "post-nothing")


PORTED_CASES = [
    ("whoami", {}),
    ("whoami", {"Authorization": "Token good-token"}),
    ("token-first", {}),
    ("token-first", {"Authorization": "Token bad-token"}),
    ("basic", basic("writer", "wrong")),
    ("basic", basic("writer", "pw")),
    ("admin-only", {"Authorization": "Token good-token"}),
]


@pytest.mark.parametrize(("view", "headers"), PORTED_CASES)
def test_drf_access_refuses_and_admits_as_the_drf_view_does(
    client: TestClient, django_client: Any, writer: Any, view: str, headers: dict[str, str]
) -> None:
    ours = client.get(f"/ported/{view}/", headers=headers)
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    theirs = django_client.get(f"/{view}/", **extra)
    if theirs.status_code == 200:  # admitted: the handler's own answer (no DRF Allow, Vary)
        assert (ours.status_code, ours.json()) == (200, theirs.json())
    else:
        same_answer(ours, theirs)


def test_drf_access_checks_csrf_for_a_session_write_as_drf_does(
    client: TestClient, django_client: Any, writer: Any
) -> None:
    django_client.login(username="writer", password="pw")
    to_fastapi(django_client, client)
    ours, theirs = client.post("/ported/whoami/"), django_client.post("/whoami/")
    assert (ours.status_code, ours.json()) == (403, theirs.json())
    assert "CSRF Failed" in ours.json()["detail"]


def test_drf_access_with_classes_alone_refuses_as_an_api_view_with_them(
    client: TestClient, writer: Any
) -> None:
    from fastapi import FastAPI

    app = FastAPI()
    install(app)
    access = drf_access(
        authentication_classes=[DictTokenAuthentication], permission_classes=[IsAuthenticated]
    )

    @app.get("/only-token/")
    def only_token(user: Any = access) -> dict[str, str]:
        return {"username": user.username}

    with TestClient(app) as own:
        refused = own.get("/only-token/")
        admitted = own.get("/only-token/", headers={"Authorization": "Token good-token"})
    assert (refused.status_code, refused.headers["www-authenticate"]) == (401, "Token")
    assert refused.json() == {"detail": "Authentication credentials were not provided."}
    assert admitted.json() == {"username": "writer"}
