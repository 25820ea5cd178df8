"""The templates rule: each rendered legacy template is read, and what it needs that the view
does not pass (or that depends on the Flask session) is reported for that route."""

from pathlib import Path

from codemods.engine.findings import Finding, FindingLog, Status
from codemods.engine.runner import transform_source
from codemods.engine.state import ModuleState
from codemods.flask.rules.responses import ResponsesRule
from codemods.flask.rules.routes import RoutesRule
from codemods.flask.rules.templates import TemplatesRule
from codemods.flask.tables.responses import TEMPLATE_NOTE

VIEW = """
from flask import Blueprint, render_template

bp = Blueprint("shop", __name__)

@bp.route("/")
def index():
    return render_template("{template}", {context})
"""
TEMPLATES = {
    "base.html": "<title>{{ config.NAME }}</title>{% block body %}{% endblock %}",
    "_macros.html": "{% macro price(p) %}{{ p }} €{% endmacro %}",
    "page.html": (
        '{% extends "base.html" %}{% from "_macros.html" import price %}'
        "{% block body %}{{ price(total) }}{{ cart_size }}{% endblock %}"
    ),
    "plain.html": "{{ total }} {{ url_for('shop.index') }} {{ request.url }}",
    "session.html": "{{ current_user.name }}{{ get_flashed_messages() }}{{ csrf_token() }}",
}


def findings_for(tmp_path: Path, template: str, context: str = "total=1") -> Finding:
    (tmp_path / "templates").mkdir(exist_ok=True)
    for name, text in TEMPLATES.items():
        (tmp_path / "templates" / name).write_text(text)
    source = VIEW.format(template=template, context=context)
    _, context_ = transform_source(
        source,
        [RoutesRule, ResponsesRule, TemplatesRule],
        filename=str(tmp_path / "views.py"),
        state=ModuleState(module_path=("views.py",)),
    )
    return FindingLog.of(context_).entries[0]


def test_names_the_view_passes_or_flask_templates_provides_are_not_reported(
    tmp_path: Path,
) -> None:
    finding = findings_for(tmp_path, "plain.html")
    assert finding.reasons == []
    assert finding.status == Status.converted


OPAQUE_HOOKS = """
from flask import Blueprint

bp = Blueprint("extra", __name__)

@bp.app_context_processor
def inject_everything():
    return build_context()
"""


def test_names_from_parents_and_context_processors_are_reported(tmp_path: Path) -> None:
    (tmp_path / "extra.py").write_text(OPAQUE_HOOKS)  # it may give names nothing here reads
    finding = findings_for(tmp_path, "page.html")
    assert TEMPLATE_NOTE not in finding.reasons
    assert finding.reasons == [
        "template page.html reads cart_size: not passed by the view (an app context processor?"
        " pass it to flask_templates(context_processors=...))",
    ]


CART_HOOKS = """
from flask import Blueprint, g

bp = Blueprint("cart", __name__)

@bp.app_context_processor
def inject_cart_size():
    return {"cart_size": len(g.get("cart", {}))}
"""


def test_names_a_blueprint_s_app_context_processor_gives_are_provided(tmp_path: Path) -> None:
    (tmp_path / "extra.py").write_text(OPAQUE_HOOKS)
    (tmp_path / "cart.py").write_text(CART_HOOKS)
    finding = findings_for(tmp_path, "page.html")
    assert finding.reasons == []


def test_an_app_s_own_context_processor_is_provided(tmp_path: Path) -> None:
    (tmp_path / "extra.py").write_text(OPAQUE_HOOKS)
    app_hooks = CART_HOOKS.replace('bp = Blueprint("cart", __name__)', "app = Flask(__name__)")
    app_hooks = app_hooks.replace("@bp.app_context_processor", "@app.context_processor")
    (tmp_path / "app.py").write_text(app_hooks)
    finding = findings_for(tmp_path, "page.html")
    assert finding.reasons == []


def test_only_current_user_needs_a_session_bridge(tmp_path: Path) -> None:
    # flashed messages and CSRF tokens live in the app's own session cookie
    reasons = findings_for(tmp_path, "session.html").reasons
    assert [r.split(":")[0] for r in reasons] == ["template session.html reads current_user"]


def test_a_missing_template_is_reported_not_fatal(tmp_path: Path) -> None:
    finding = findings_for(tmp_path, "nowhere.html")
    assert any(r.startswith("template nowhere.html: not checked") for r in finding.reasons)
    assert finding.status == Status.partial


def test_a_template_using_the_app_s_own_filter_is_checked(tmp_path: Path) -> None:
    TEMPLATES["filtered.html"] = "{{ total|highlight }}{% if total is odd_number %}{% endif %}"
    try:
        finding = findings_for(tmp_path, "filtered.html")
    finally:
        del TEMPLATES["filtered.html"]
    assert finding.reasons == []
    assert finding.status == Status.converted


def test_an_app_s_template_global_is_provided(tmp_path: Path) -> None:
    (tmp_path / "extra.py").write_text(OPAQUE_HOOKS)
    (tmp_path / "app.py").write_text(
        "app = Flask(__name__)\n\n@app.template_global()\ndef cart_size():\n    return 0\n"
    )
    assert findings_for(tmp_path, "page.html").reasons == []


def test_a_name_an_app_whose_every_template_name_is_known_does_not_give_is_not_reported(
    tmp_path: Path,
) -> None:
    """Undefined on both sides (Jinja's lenient Undefined): not a difference."""
    finding = findings_for(tmp_path, "page.html")
    assert finding.reasons == []
    assert finding.status == Status.converted
