"""Flask-WTF forms for the HTML pages (CSRF-protected)."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

SHIPPING_CHOICES = [
    ("standard", "Standard (3-5 days)"),
    ("express", "Express (next day)"),
    ("pickup", "Pick up in store"),
]

# Throwaway-address services: an account needs an address that still works next month.
DISPOSABLE_EMAIL_DOMAINS = {"mailinator.com", "trashmail.com", "yopmail.com"}


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email()])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Remember me")
    submit = SubmitField("Log in")


class RegisterForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired(),
            Length(min=2, max=100, message="A name has %(min)d to %(max)d characters."),
        ],
    )
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=255)])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=8, max=128)])
    confirm = PasswordField(
        "Repeat password", validators=[DataRequired(), EqualTo("password", "Passwords must match")]
    )
    submit = SubmitField("Create account")

    def validate_email(self, field):
        if field.data.rsplit("@", 1)[-1].lower() in DISPOSABLE_EMAIL_DOMAINS:
            raise ValidationError("Please use an address you will keep.")


class CheckoutForm(FlaskForm):
    full_name = StringField("Full name", validators=[DataRequired(), Length(max=100)])
    address = StringField("Address", validators=[DataRequired(), Length(min=5, max=200)])
    city = StringField("City", validators=[DataRequired(), Length(max=80)])
    postcode = StringField("Postcode", validators=[Optional(), Length(max=12)])
    shipping = SelectField("Shipping", choices=SHIPPING_CHOICES, default="standard")
    notes = TextAreaField("Notes for the courier", validators=[Optional(), Length(max=500)])
    submit = SubmitField("Place order")


class ProductForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    sku = StringField("SKU", validators=[DataRequired(), Length(max=32)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    price = DecimalField("Price", places=2, validators=[DataRequired(), NumberRange(min=0)])
    stock = IntegerField("Stock", default=0, validators=[NumberRange(min=0, max=100000)])
    category_id = SelectField("Category", coerce=int, validators=[DataRequired()])
    image = FileField("Image", validators=[FileAllowed(["png", "jpg", "jpeg", "gif", "webp"])])
    submit = SubmitField("Save")


class AddToCartForm(FlaskForm):
    quantity = IntegerField("Quantity", default=1, validators=[NumberRange(min=1, max=99)])
    submit = SubmitField("Add to cart")
