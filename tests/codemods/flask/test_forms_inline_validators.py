"""The forms rule on WTForms inline validators: `validate_<field>(form, field)` -> a Pydantic
`field_validator` when its body only reads the value and earlier fields, a TODO stub saying why
otherwise."""

from codemods.engine.findings import Finding, Status
from codemods.flask.rules.forms import FormsRule
from tests.codemods.support import assert_codemod, convert

LEGACY_PACKAGE = {"source_package": "shop", "module_path": ("forms.py",)}


def form(*lines: str) -> str:
    body = "\n".join(f"    {line}" for line in lines)
    return f"from flask_wtf import FlaskForm\n\nclass F(FlaskForm):\n{body}\n"


def converted(*lines: str) -> tuple[str, Finding]:
    code, findings, _ = convert(form(*lines), [FormsRule], **LEGACY_PACKAGE)
    return code, findings[0]


def test_the_field_s_data_is_the_value_and_a_validation_error_a_value_error() -> None:
    assert_codemod(
        """
        from flask_wtf import FlaskForm

        BLOCKED = {"mailinator.com"}

        class F(FlaskForm):
            email = StringField("Email", validators=[InputRequired()])

            def validate_email(self, field):
                \"\"\"No throwaway address.\"\"\"
                if field.data.rsplit("@", 1)[-1] in BLOCKED:
                    raise ValidationError("Use an address you keep.")
        """,
        """
        from flask_wtf import FlaskForm
        from pydantic import field_validator, BaseModel

        BLOCKED = {"mailinator.com"}

        class F(BaseModel):
            \"\"\"The fields of the legacy F.\"\"\"

            email: str

            @field_validator("email")
            @classmethod
            def validate_email(cls, value: str) -> str:
                \"\"\"No throwaway address.\"\"\"
                if value.rsplit("@", 1)[-1] in BLOCKED:
                    raise ValueError("Use an address you keep.")
                return value
        """,
        [FormsRule],
    )


def test_a_converted_inline_validator_leaves_the_form_converted_with_a_note() -> None:
    _, finding = converted(
        "a = StringField('a', validators=[InputRequired()])",
        "def validate_a(form, field):",
        "    if field.data == 'x':",
        "        raise ValidationError('no x')",
    )
    assert finding.status == Status.converted
    assert any(
        r.startswith("validate_a -> field_validator: it runs only when") for r in finding.reasons
    )


def test_stop_validation_with_a_message_is_a_value_error() -> None:
    code, _ = converted(
        "a = StringField('a', validators=[InputRequired()])",
        "def validate_a(form, field):",
        "    if not field.data.isalpha():",
        "        raise validators.StopValidation('Letters only.')",
    )
    assert "            raise ValueError('Letters only.')\n" in code


def test_a_message_keyword_becomes_the_value_error_s_argument() -> None:
    code, _ = converted(
        "a = StringField('a', validators=[InputRequired()])",
        "def validate_a(form, field):",
        "    raise ValidationError(message='No.')",
    )
    assert "        raise ValueError('No.')\n" in code


def test_stop_validation_without_a_message_accepts_the_value() -> None:
    code, _ = converted(
        "a = StringField('a', validators=[InputRequired()])",
        "def validate_a(form, field):",
        "    if field.data == 'admin':",
        "        raise StopValidation()",
        "    raise ValidationError('Only admin.')",
    )
    assert (
        "        if value == 'admin':\n"
        "            return value\n"
        "        raise ValueError('Only admin.')\n"
    ) in code
    assert "raise ValueError('Only admin.')\n        return value" not in code


def test_a_bare_return_returns_the_value() -> None:
    code, _ = converted(
        "a = StringField('a', validators=[InputRequired()])",
        "def validate_a(form, field):",
        "    if field.data:",
        "        return",
        "    raise ValidationError('Empty.')",
    )
    assert "        if value:\n            return value\n" in code


def test_an_earlier_field_is_read_from_info_data_with_a_note() -> None:
    code, finding = converted(
        "name = StringField('Name', validators=[InputRequired()])",
        "nick = StringField('Nick', validators=[InputRequired()])",
        "def validate_nick(self, field):",
        "    if field.data == self.name.data:",
        "        raise ValidationError('Pick a nick other than your name.')",
    )
    assert "    def validate_nick(cls, value: str, info: ValidationInfo) -> str:\n" in code
    assert '        if value == info.data.get("name"):\n' in code
    assert "from pydantic import field_validator, ValidationInfo, BaseModel" in code
    assert finding.status == Status.converted
    assert any(
        r.startswith("validate_nick reads name from info.data: there only when name passed")
        for r in finding.reasons
    )


def test_a_later_field_keeps_a_stub_because_info_data_does_not_have_it() -> None:
    code, finding = converted(
        "nick = StringField('Nick', validators=[InputRequired()])",
        "name = StringField('Name', validators=[InputRequired()])",
        "def validate_nick(self, field):",
        "    if field.data == self.name.data:",
        "        raise ValidationError('Pick a nick other than your name.')",
    )
    assert "# TODO(strangler): port the legacy validator by hand:" in code
    assert "    def validate_nick(cls, value: object) -> object:\n" in code
    assert finding.status == Status.partial
    assert any("it reads name, declared after nick" in r for r in finding.reasons)


def test_a_database_lookup_keeps_a_stub_saying_it_needs_a_session() -> None:
    code, finding = converted(
        "email = StringField('Email', validators=[InputRequired()])",
        "def validate_email(self, field):",
        "    if User.query.filter_by(email=field.data).first():",
        "        raise ValidationError('Taken.')",
    )
    assert (
        "        # TODO(strangler): port the legacy validator by hand:\n"
        "        # - it looks the database up (User.query): a field validator has no database\n"
        "        #   session; check it in the view\n"
        "        # def validate_email(self, field):\n"
        "        #     if User.query.filter_by(email=field.data).first():\n"
        "        #         raise ValidationError('Taken.')\n"
        "        return value\n"
    ) in code
    assert finding.status == Status.partial
    assert any("it looks the database up (User.query)" in r for r in finding.reasons)


def test_db_session_is_a_database_lookup_too() -> None:
    _, finding = converted(
        "email = StringField('Email')",
        "def validate_email(self, field):",
        "    if db.session.scalar(select(User).filter_by(email=field.data)):",
        "        raise ValidationError('Taken.')",
    )
    assert any("it uses db.session" in r for r in finding.reasons)


def test_a_value_error_keeps_a_stub_because_wtforms_does_not_catch_it() -> None:
    code, finding = converted(
        "a = StringField('a')", "def validate_a(form, field):", "    raise ValueError()"
    )
    assert '@field_validator("a")' in code
    assert "# TODO(strangler): port the legacy validator" in code
    assert any("it raises ValueError, which WTForms does not catch" in r for r in finding.reasons)
    assert finding.status == Status.partial


def test_other_attributes_of_the_field_keep_a_stub() -> None:
    _, finding = converted(
        "a = StringField('a')",
        "def validate_a(form, field):",
        "    raise ValidationError(field.label.text + ' is wrong')",
    )
    assert any("it reads field other than field.data" in r for r in finding.reasons)


def test_flask_s_request_context_keeps_a_stub() -> None:
    _, finding = converted(
        "a = StringField('a')",
        "def validate_a(form, field):",
        "    if field.data != current_user.name:",
        "        raise ValidationError('Not you.')",
    )
    assert any("it uses Flask's current_user" in r for r in finding.reasons)


def test_an_optional_field_is_not_checked_when_empty_as_in_wtforms() -> None:
    code, _ = converted(
        "nick = StringField('Nick', validators=[Optional()])",
        "def validate_nick(self, field):",
        "    if not field.data.isalpha():",
        "        raise ValidationError('Letters only.')",
    )
    assert (
        "    def validate_nick(cls, value: str | None) -> str | None:\n"
        "        if value is None or not value.strip():\n"
        "            return value  # Optional(): WTForms runs no validator on an empty value\n"
        "        if not value.isalpha():\n"
    ) in code


def test_a_field_that_may_be_missing_is_checked_only_when_it_has_a_value() -> None:
    code, _ = converted(
        "age = IntegerField('Age')",
        "def validate_age(self, field):",
        "    if field.data > 130:",
        "        raise ValidationError('Really?')",
    )
    assert (
        "    def validate_age(cls, value: int | None) -> int | None:\n"
        "        if value is None:\n"
        "            return value\n"
        "        if value > 130:\n"
    ) in code


def test_a_password_s_data_is_its_secret_value() -> None:
    code, _ = converted(
        "password = PasswordField('Password', validators=[InputRequired()])",
        "def validate_password(self, field):",
        "    if field.data.isdigit():",
        "        raise ValidationError('Not only digits.')",
    )
    assert "    def validate_password(cls, value: SecretStr) -> SecretStr:\n" in code
    assert "        if value.get_secret_value().isdigit():\n" in code


def test_setting_the_field_s_data_sets_the_value_returned() -> None:
    code, _ = converted(
        "a = StringField('a', validators=[InputRequired()])",
        "def validate_a(form, field):",
        "    field.data = field.data.strip()",
    )
    assert "        value = value.strip()\n        return value\n" in code


def test_the_inline_validator_runs_after_the_field_s_declared_validators() -> None:
    code, _ = converted(
        "password = PasswordField('Password')",
        "def validate_confirm(self, field):",
        "    if field.data.isdigit():",
        "        raise ValidationError('Not only digits.')",
        "confirm = PasswordField('Again', validators=[EqualTo('password')])",
    )
    assert code.index("def _confirm_equals_password(") < code.index("def validate_confirm(")


def test_an_inline_validator_of_no_field_keeps_a_stub() -> None:
    code, finding = converted("a = StringField('a')", "def validate_b(form, field):", "    pass")
    assert (
        "# TODO(strangler): port the legacy validator by hand:\n        # - no such field" in code
    )
    assert finding.status == Status.partial


def test_a_body_on_the_def_line_is_converted_too() -> None:
    code, _ = converted(
        "a = StringField('a', validators=[InputRequired()])",
        "def validate_a(form, field): raise ValidationError('Never.')",
    )
    assert (
        "    def validate_a(cls, value: str) -> str:\n        raise ValueError('Never.')\n" in code
    )
