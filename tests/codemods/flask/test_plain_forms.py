"""Plain WTForms forms (on `wtforms.Form`): found per module and across a package, kept by the
forms rule, their calls in views left as they are."""

from pathlib import Path

from codemods.flask.analysis import FlaskAnalysis
from codemods.flask.plain_forms import plain_form_classes
from codemods.flask.rules.form_views import FormViewsRule
from codemods.flask.rules.forms import FormsRule
from tests.codemods.support import convert

FORMS = """\
from flask_wtf import FlaskForm
from wtforms import Form, StringField
from wtforms.validators import DataRequired


class ApiTagForm(Form):
    tags = StringField(validators=[DataRequired()])

    @property
    def tags_str(self):
        return ",".join(self.tags.data)


class ApiBookmarkForm(ApiTagForm):
    url = StringField(validators=[DataRequired()])


class BookmarkForm(FlaskForm):
    url = StringField(validators=[DataRequired()])
"""

API = """\
from .forms import ApiTagForm

bp = Blueprint("api", __name__)


@bp.route("/api/tags", methods=["POST"])
def add_tags():
    form = ApiTagForm(data=request.get_json())
    if not form.validate():
        return {"errors": form.errors}, 400
    return {"tags": form.tags_str}
"""


def test_forms_on_wtforms_form_are_plain_and_flask_wtf_ones_are_not() -> None:
    assert plain_form_classes(FORMS) == {"ApiTagForm", "ApiBookmarkForm"}


def test_a_form_on_another_module_s_plain_form_is_plain() -> None:
    source = "from .forms import ApiTagForm\n\n\nclass EditForm(ApiTagForm):\n    pass\n"
    assert plain_form_classes(source, {"ApiTagForm"}) == {"EditForm"}


def test_a_plain_form_is_kept_as_it_is_and_a_flask_wtf_one_converted() -> None:
    code, _, _ = convert(FORMS, [FormsRule])
    assert "class ApiTagForm(Form):\n    tags = StringField(validators=[DataRequired()])\n" in code
    assert "    def tags_str(self)" in code
    assert "class ApiBookmarkForm(ApiTagForm):\n" in code
    assert "class BookmarkForm(BaseModel):\n" in code


def test_a_view_constructing_a_plain_form_with_data_keeps_the_call(tmp_path: Path) -> None:
    (tmp_path / "forms.py").write_text(FORMS)
    (tmp_path / "api.py").write_text(API)
    analysis = FlaskAnalysis(root=tmp_path, files=sorted(tmp_path.glob("*.py")))
    code, findings, _ = convert(API, [FormViewsRule], analysis=analysis)
    assert "    form = ApiTagForm(data=request.get_json())\n" in code
    assert "HtmlForm" not in code
    assert not any("with arguments" in r for f in findings for r in f.reasons)
