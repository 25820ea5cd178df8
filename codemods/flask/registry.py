"""The Flask rules, in the order they run (each one sees the previous one's output)."""

from codemods.engine.registry import Registry
from codemods.flask.rules.app_context import AppContextRule
from codemods.flask.rules.app_factory import AppFactoryRule
from codemods.flask.rules.babel import BabelRule
from codemods.flask.rules.blueprints import BlueprintsRule
from codemods.flask.rules.cleanup import CleanupRule
from codemods.flask.rules.csrf import CsrfRule
from codemods.flask.rules.empty_containers import EmptyContainersRule
from codemods.flask.rules.flash import FlashRule
from codemods.flask.rules.flask_context import FlaskContextRule
from codemods.flask.rules.flask_helpers import FlaskHelpersRule
from codemods.flask.rules.flask_json import FlaskJsonRule
from codemods.flask.rules.form_views import FormViewsRule
from codemods.flask.rules.forms import FormsRule
from codemods.flask.rules.guards import GuardsRule
from codemods.flask.rules.hook_state import HookStateRule
from codemods.flask.rules.import_guards import ImportGuardsRule
from codemods.flask.rules.leftovers import LeftoversRule
from codemods.flask.rules.local_imports import LocalImportsRule
from codemods.flask.rules.login import LoginRule
from codemods.flask.rules.marshmallow_calls import MarshmallowCallsRule
from codemods.flask.rules.marshmallow_schemas import MarshmallowRule
from codemods.flask.rules.method_views import MethodViewsRule
from codemods.flask.rules.models import ModelsRule
from codemods.flask.rules.own_imports import OwnImportsRule
from codemods.flask.rules.principal import PrincipalRule
from codemods.flask.rules.queries import QueriesRule
from codemods.flask.rules.registrations import RegistrationsRule
from codemods.flask.rules.request_data import RequestDataRule
from codemods.flask.rules.responses import ResponsesRule
from codemods.flask.rules.routes import RoutesRule
from codemods.flask.rules.templates import TemplatesRule
from codemods.flask.rules.uploads import UploadsRule

REGISTRY = Registry(
    "flask",
    [
        ImportGuardsRule,
        LocalImportsRule,
        FlaskJsonRule,
        OwnImportsRule,
        MethodViewsRule,
        RoutesRule,
        RegistrationsRule,
        HookStateRule,
        FlaskContextRule,
        AppFactoryRule,
        AppContextRule,
        BabelRule,
        PrincipalRule,
        ResponsesRule,
        LoginRule,
        GuardsRule,
        RequestDataRule,
        UploadsRule,
        FormViewsRule,
        CsrfRule,
        FlashRule,
        TemplatesRule,
        BlueprintsRule,
        ModelsRule,
        FormsRule,
        MarshmallowRule,
        MarshmallowCallsRule,
        QueriesRule,
        LeftoversRule,
        EmptyContainersRule,
        FlaskHelpersRule,
        CleanupRule,
    ],
)
