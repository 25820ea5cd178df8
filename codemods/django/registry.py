"""The Django rules, in the order they run (each one sees the previous one's output). A plain
list: add a rule by adding its line."""

from codemods.django.rules.admin import AdminRule
from codemods.django.rules.app import AppRule
from codemods.django.rules.class_queries import ClassQueriesRule
from codemods.django.rules.class_views import ClassViewsRule
from codemods.django.rules.drf_serializers import DrfSerializersRule
from codemods.django.rules.forms import DjangoFormsRule
from codemods.django.rules.function_views import FunctionViewsRule
from codemods.django.rules.handler_twins import HandlerTwinsRule
from codemods.django.rules.helper_twins import HelperTwinsRule
from codemods.django.rules.legacy_models import LegacyModelImportsRule
from codemods.django.rules.middlewares import MiddlewaresRule
from codemods.django.rules.models import DjangoModelsRule
from codemods.django.rules.queries import DjangoQueriesRule
from codemods.django.rules.request_data import RequestDataRule
from codemods.django.rules.session_twins import SessionTwinsRule
from codemods.django.rules.urls import UrlsRule
from codemods.django.rules.user_relations import UserRelationsRule
from codemods.django.rules.view_imports import ViewImportsRule
from codemods.django.rules.view_mixins import ViewMixinsRule
from codemods.engine.registry import Registry

REGISTRY = Registry(
    "django",
    [
        DjangoModelsRule,
        DjangoFormsRule,
        DrfSerializersRule,
        UrlsRule,
        FunctionViewsRule,
        UserRelationsRule,
        ViewImportsRule,
        DjangoQueriesRule,
        HelperTwinsRule,
        ClassViewsRule,
        ClassQueriesRule,
        SessionTwinsRule,
        HandlerTwinsRule,
        RequestDataRule,
        ViewMixinsRule,
        AdminRule,
        MiddlewaresRule,
        LegacyModelImportsRule,
        AppRule,
    ],
)
