"""Django REST framework views whose handlers' queries leave Django's ORM: an `APIView` or a
`GenericAPIView` (no generic mixin: their `list`/`retrieve`/... read Django's querysets) whose
only use of the ORM is its own methods' queries, which class_queries.py translates as a plain
view's, on the route's session (`SessionView` first in its bases: Django's `View.setup`, which
DRF's `as_view()` runs before its dispatch, gives `self.session`).

    class MFAStatusView(GenericAPIView):
        def get(self, request):
            auth = Authenticator.objects.get(user=request.user, type=Authenticator.Type.TOTP)
->  class MFAStatusView(SessionView, GenericAPIView):
        def get(self, request):
            session = self.session
            auth = get_one(session, select(tables.Authenticator).where(...), Authenticator)

Everything else stays DRF's own: authentication, permissions, throttling, content negotiation
and its exception handling (a translated `.get()` raises the legacy model's `DoesNotExist`, a
`get_object_or_404` Django's `Http404`, which DRF answers as before). Rows handed to a
serializer, `self.get_serializer` or any other method keep the class on the ORM (class_queries.py
reads where the rows go).
"""

from __future__ import annotations

from codemods.django.analysis import DjangoAnalysis, ModulePath
from codemods.django.drf import DRF_PACKAGE
from codemods.django.helper_twins import HelperCall

DRF_QUERY_BASES = frozenset({"APIView", "GenericAPIView"})


def drf_query_base(name: str) -> bool:
    """`rest_framework.views.APIView` or `rest_framework.generics.GenericAPIView` (dotted, as
    imported)."""
    return name.startswith(DRF_PACKAGE + ".") and name.rsplit(".", 1)[-1] in DRF_QUERY_BASES


def drf_session_candidate(analysis: DjangoAnalysis, module: ModulePath, name: str) -> bool:
    """Class `name` of `module` is built on APIView or GenericAPIView alone (DRF's other views
    read Django's querysets in their generic code)."""
    info = analysis.classes.get((module, name))
    return info is not None and all(
        base.module is None and drf_query_base(base.name) for base in info.bases
    )


def drf_twins(analysis: DjangoAnalysis, module: ModulePath, name: str) -> tuple[HelperCall, ...]:
    """The calls of other modules' querying helpers (static methods among them) class `name` of
    `module` makes from its methods on `self`, which get translated twins given `self.session`
    (helper_twins.py)."""
    info = analysis.classes.get((module, name))
    return tuple(call for _, call in info.outside_twins) if info is not None else ()


def drf_twinned_reasons(analysis: DjangoAnalysis, module: ModulePath, name: str) -> set[str]:
    """The reasons of the route (as drf.py words them) that the twins of drf_twins clear."""
    info = analysis.classes.get((module, name))
    twinned = info.outside_twins if info is not None else ()
    return {f"stays on Django's ORM: {name}: {reason}" for reason, _ in twinned}
