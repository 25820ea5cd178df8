"""The form-views rule: Flask-WTF forms in views -> an HtmlForm dependency; CSRF checks."""

from pathlib import Path

from codemods.engine.findings import Status
from codemods.flask.analysis import FlaskAnalysis
from codemods.flask.rules.form_views import CSRF_NOTE, FormViewsRule
from codemods.flask.rules.login import LoginRule
from tests.codemods.support import assert_codemod, convert

RULES = [FormViewsRule]


def test_a_form_in_a_view_becomes_an_html_form_dependency() -> None:
    assert_codemod(
        """
        from .forms import LoginForm

        bp = Blueprint("auth", __name__)

        @bp.route("/login", methods=["POST"])
        def login():
            form = LoginForm()
            if form.validate_on_submit():
                return form.email.data
            return "again"
        """,
        """
        from .forms import LoginForm
        from fastapi import Depends
        from codemods.runtime.flask.csrf import csrf_protect
        from typing import Annotated
        from codemods.runtime.flask.html_forms import HtmlForm, html_form

        bp = Blueprint("auth", __name__)

        @bp.post("/login", name="auth.login", dependencies=[Depends(csrf_protect)])
        def login(*, login_form: Annotated[HtmlForm[LoginForm], Depends(html_form(LoginForm))]):
            form = login_form
            if form.validate_on_submit():
                return form.email.data
            return "again"
        """,
        RULES,
    )


def test_a_form_class_defined_in_the_module_is_recognised() -> None:
    code, _, _ = convert(
        "class F(FlaskForm):\n    pass\n\n"
        "bp = Blueprint('b', __name__)\n\n"
        "@bp.route('/')\ndef page():\n    return render_template('p.html', form=F())\n",
        RULES,
    )
    assert "form=f" in code
    assert "f: Annotated[HtmlForm[F], Depends(html_form(F))]" in code


def test_the_same_form_twice_in_a_view_is_one_parameter() -> None:
    code, _, _ = convert(
        "from app.forms import SearchForm\nbp = Blueprint('b', __name__)\n\n"
        "@bp.route('/')\ndef page():\n    a = SearchForm()\n    b = SearchForm()\n"
        "    return 'x'\n",
        RULES,
    )
    assert code.count("search_form: Annotated") == 1
    assert "a = search_form\n    b = search_form" in code


def test_unsafe_methods_of_a_forms_module_are_csrf_protected_first() -> None:
    code, findings, _ = convert(
        "from flask_login import login_required\nfrom .forms import EditForm\n"
        "bp = Blueprint('b', __name__)\n\n"
        "@bp.post('/remove')\n@login_required\ndef remove():\n    return 'x'\n\n"
        "@bp.get('/list')\ndef listing():\n    return 'x'\n",
        [LoginRule, FormViewsRule],
        analysis=FlaskAnalysis(login_views={"": "auth.login"}),
    )
    assert 'dependencies=[Depends(csrf_protect), Depends(require_login("auth.login"))]' in code
    assert '@bp.get("/list", name="b.listing")\n' in code
    remove = next(f for f in findings if f.symbol == "remove")
    assert CSRF_NOTE in remove.reasons


def test_a_form_built_with_arguments_is_left_for_a_person() -> None:
    code, findings, _ = convert(
        "from .forms import EditForm\nbp = Blueprint('b', __name__)\n\n"
        "@bp.route('/')\ndef page():\n    form = EditForm(obj=thing)\n    return 'x'\n",
        RULES,
    )
    assert "form = EditForm(obj=thing)" in code
    assert "# TODO(strangler): EditForm(...) with arguments" in code
    assert findings[0].status == Status.manual


def test_forms_outside_views_and_constants_of_forms_modules_are_left_alone() -> None:
    code, _, _ = convert(
        "from .forms import CHOICES, EditForm\nbp = Blueprint('b', __name__)\n\n"
        "def helper():\n    return EditForm(), CHOICES\n\n"
        "@bp.route('/')\ndef page():\n    return 'x'\n",
        RULES,
    )
    assert "return EditForm(), CHOICES" in code
    assert "HtmlForm" not in code


def test_an_app_without_csrf_protect_leaves_unsafe_routes_without_a_token_check(
    tmp_path: Path,
) -> None:
    (tmp_path / "server.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    code, findings, _ = convert(
        "from .forms import EditForm\n"
        "bp = Blueprint('b', __name__)\n\n"
        "@bp.delete('/tags/<tag>')\ndef remove(tag):\n    return 'x'\n",
        RULES,
        analysis=FlaskAnalysis(root=tmp_path),
    )
    assert "csrf_protect" not in code
    assert not [f for f in findings if f.symbol == "remove" and CSRF_NOTE in f.reasons]


def test_an_app_with_csrf_protect_keeps_the_token_check(tmp_path: Path) -> None:
    (tmp_path / "server.py").write_text(
        "from flask import Flask\nfrom flask_wtf.csrf import CSRFProtect\n"
        "app = Flask(__name__)\nCSRFProtect(app)\n"
    )
    code, _, _ = convert(
        "from .forms import EditForm\n"
        "bp = Blueprint('b', __name__)\n\n"
        "@bp.delete('/tags/<tag>')\ndef remove(tag):\n    return 'x'\n",
        RULES,
        analysis=FlaskAnalysis(root=tmp_path),
    )
    assert "dependencies=[Depends(csrf_protect)]" in code


def test_a_form_given_the_posted_form_is_an_html_form_dependency() -> None:
    code, findings, _ = convert(
        "from flask import request\nfrom .forms import FetchForm\n"
        "bp = Blueprint('b', __name__)\n\n"
        "@bp.post('/fetch')\ndef fetch():\n    form = FetchForm(request.form)\n"
        "    return 'x'\n",
        RULES,
    )
    assert "form = fetch_form\n" in code
    assert "fetch_form: Annotated[HtmlForm[FetchForm], Depends(html_form(FetchForm))]" in code
    route = next(f for f in findings if f.kind == "route")
    assert route.status != Status.manual
