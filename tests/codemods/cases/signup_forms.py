"""A legacy Flask-WTF form with its own messages and inline validators, for the forms runtime's
tests: each message must be WTForms' own on the generated side too."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, URLField
from wtforms.validators import (
    URL,
    AnyOf,
    DataRequired,
    Email,
    InputRequired,
    IPAddress,
    Length,
    MacAddress,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)

BLOCKED_DOMAINS = {"mailinator.com"}


class SignupForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired("Tell us your name."),
            Length(2, 20, "From %(min)d to %(max)d characters, not %(length)d."),
        ],
    )
    email = StringField(
        "Email", validators=[InputRequired(message="An email, please."), Email("Not an email.")]
    )
    nick = StringField("Nick", validators=[Optional(), Length(max=8)])
    age = IntegerField("Age", validators=[Optional(), NumberRange(18, 130, "%(min)s to %(max)s.")])
    code = StringField("Code", validators=[Optional(), Regexp(r"^[A-Z]+$", message="Capitals.")])
    colour = StringField("Colour", validators=[Optional(), AnyOf(["red", "blue"])])
    website = URLField("Website", validators=[Optional(), URL(message="A web address.")])
    mac = StringField("MAC", validators=[Optional(), MacAddress()])
    ip = StringField("IP", validators=[Optional(), IPAddress(message="An IPv4 address.")])

    def validate_email(self, field):
        if field.data.rsplit("@", 1)[-1].lower() in BLOCKED_DOMAINS:
            raise ValidationError("Use an address you keep.")

    def validate_nick(self, field):
        if field.data == self.name.data:
            raise StopValidation("Your nick is your name.")
