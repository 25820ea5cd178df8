"""The project's own middlewares in the report: one reaching Django's ORM is a `partial`
`middleware` entry, one with its own `__call__` a `manual` one, one reaching neither none; the
module is left as it is (the runtime runs the legacy module)."""

from __future__ import annotations

from codemods.django.rules.middlewares import MiddlewaresRule
from codemods.engine.findings import Status
from tests.codemods.django.support import convert

MIDDLEWARES = """\
from django.utils.deprecation import MiddlewareMixin

from .models import UserProfile


class LastIPMiddleware(MiddlewareMixin):
    def process_request(self, request):
        if request.user.is_authenticated:
            UserProfile.objects.filter(user__pk=request.user.pk).update(last_ip="1.2.3.4")


class TimezoneMiddleware(MiddlewareMixin):
    def process_request(self, request):
        if request.user.is_authenticated:
            print(request.user.st.timezone)


class XForwardedForMiddleware(MiddlewareMixin):
    def process_request(self, request):
        request.META["REMOTE_ADDR"] = request.headers["x-forwarded-for"]


class TimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
"""


def entries() -> dict[str, tuple[Status, list[str]]]:
    code, findings = convert(MIDDLEWARES, [MiddlewaresRule], module_path=("user", "middleware.py"))
    assert code == MIDDLEWARES
    return {f.symbol: (f.status, f.reasons) for f in findings if f.kind == "middleware"}


def test_a_middleware_reaching_djangos_orm_is_partial_with_its_reason():
    status, reasons = entries()["LastIPMiddleware"]
    assert status == Status.partial
    assert reasons == [
        "middleware LastIPMiddleware: runs on Django's ORM around every route of the generated "
        "app (the runtime runs the project's MIDDLEWARE); give its queries a twin on the new side"
    ]


def test_a_middleware_reading_a_relation_of_the_user_is_partial():
    assert entries()["TimezoneMiddleware"][0] == Status.partial


def test_a_middleware_with_its_own_call_is_manual():
    status, reasons = entries()["TimingMiddleware"]
    assert status == Status.manual
    assert "has its own __call__" in reasons[0]


def test_a_middleware_reaching_no_orm_gets_no_entry():
    assert "XForwardedForMiddleware" not in entries()
