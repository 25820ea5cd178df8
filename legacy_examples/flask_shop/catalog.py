"""The JSON API under /api: products, categories, orders, quotes."""

import csv
import io
import os
import re
from decimal import Decimal, InvalidOperation
from functools import wraps

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    request,
    send_from_directory,
    stream_with_context,
    url_for,
)
from flask.views import MethodView
from flask_login import current_user, login_required
from marshmallow import ValidationError
from werkzeug.utils import secure_filename

from .extensions import db
from .models import Category, Order, Product
from .orders import OrderError, place_order
from .schemas import OrderSchema, QuoteSchema

bp = Blueprint("catalog", __name__, url_prefix="/api")

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def json_body():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="the request body must be a JSON object")
    return data


def validation_error(errors):
    return jsonify(error="validation failed", fields=errors), 400


# --- products -------------------------------------------------------------------------------


@bp.route("/products", methods=["GET"])
def list_products():
    page = request.args.get("page", 1, type=int)
    per_page = request.args.get("per_page", current_app.config["PRODUCTS_PER_PAGE"], type=int)
    category_slug = request.args.get("category")
    search = request.args.get("q", "").strip()

    query = db.select(Product).order_by(Product.id)
    if category_slug:
        category = Category.query.filter_by(slug=category_slug).first()
        if category is None:
            abort(404, description=f"no category {category_slug!r}")
        query = query.filter(Product.category_id == category.id)
    if search:
        query = query.filter(Product.name.ilike(f"%{search}%"))

    pagination = db.paginate(
        query,
        page=page,
        per_page=per_page,
        max_per_page=current_app.config["MAX_PRODUCTS_PER_PAGE"],
        error_out=False,
    )
    return jsonify(
        items=[product.to_dict() for product in pagination.items],
        page=pagination.page,
        per_page=pagination.per_page,
        pages=pagination.pages,
        total=pagination.total,
        has_next=pagination.has_next,
        has_prev=pagination.has_prev,
    )


def validate_product(data, partial=False, product=None):
    """Hand validation of a product body; returns (clean values, errors)."""
    values, errors = {}, {}

    if "name" in data or not partial:
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            errors["name"] = "required"
        elif len(name) > 120:
            errors["name"] = "at most 120 characters"
        else:
            values["name"] = name.strip()

    if "sku" in data or not partial:
        sku = data.get("sku")
        if not isinstance(sku, str) or not sku.strip():
            errors["sku"] = "required"
        elif len(sku) > 32:
            errors["sku"] = "at most 32 characters"
        else:
            values["sku"] = sku.strip().upper()

    if "description" in data:
        description = data["description"]
        if not isinstance(description, str) or len(description) > 2000:
            errors["description"] = "a string of at most 2000 characters"
        else:
            values["description"] = description

    if "price" in data or not partial:
        price = data.get("price")
        try:
            if isinstance(price, bool) or not isinstance(price, (int, float, str)):
                raise InvalidOperation
            price = Decimal(str(price)).quantize(Decimal("0.01"))
        except InvalidOperation:
            errors["price"] = "a number is required"
        else:
            if price < 0:
                errors["price"] = "must not be negative"
            elif price >= Decimal("100000000"):
                errors["price"] = "too large"
            else:
                values["price"] = price

    if "stock" in data:
        stock = data["stock"]
        if isinstance(stock, bool) or not isinstance(stock, int) or not 0 <= stock <= 100000:
            errors["stock"] = "an integer between 0 and 100000"
        else:
            values["stock"] = stock

    if "category_id" in data or not partial:
        category_id = data.get("category_id")
        if isinstance(category_id, bool) or not isinstance(category_id, int):
            errors["category_id"] = "an integer is required"
        elif db.session.get(Category, category_id) is None:
            errors["category_id"] = "no such category"
        else:
            values["category_id"] = category_id

    if "sku" in values:
        clash = Product.query.filter_by(sku=values["sku"]).first()
        if clash is not None and clash is not product:
            errors["sku"] = "already used by another product"

    return values, errors


@bp.route("/products", methods=["POST"])
@admin_required
def create_product():
    values, errors = validate_product(json_body())
    if errors:
        return validation_error(errors)
    product = Product(**values)
    db.session.add(product)
    db.session.commit()
    location = url_for("catalog.get_product", product_id=product.id)
    return jsonify(product.to_dict()), 201, {"Location": location}


@bp.route("/products/<int:product_id>")
def get_product(product_id):
    product = db.get_or_404(Product, product_id)
    return jsonify(product.to_dict())


@bp.route("/products/<int:product_id>", methods=["PUT", "PATCH"])
@admin_required
def update_product(product_id):
    product = db.get_or_404(Product, product_id)
    values, errors = validate_product(
        json_body(), partial=request.method == "PATCH", product=product
    )
    if errors:
        return validation_error(errors)
    for key, value in values.items():
        setattr(product, key, value)
    db.session.commit()
    return jsonify(product.to_dict())


@bp.route("/products/<int:product_id>", methods=["DELETE"])
@admin_required
def delete_product(product_id):
    product = db.get_or_404(Product, product_id)
    if product.image_filename:
        path = os.path.join(current_app.config["UPLOAD_FOLDER"], product.image_filename)
        if os.path.exists(path):
            os.remove(path)
    db.session.delete(product)
    db.session.commit()
    return "", 204


def allowed_image(filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return extension in current_app.config["ALLOWED_IMAGE_EXTENSIONS"]


@bp.route("/products/<int:product_id>/image", methods=["POST"])
@admin_required
def upload_product_image(product_id):
    product = db.get_or_404(Product, product_id)
    upload = request.files.get("image")
    if upload is None or upload.filename == "":
        return jsonify(error="no file in the 'image' field"), 400
    if not allowed_image(upload.filename):
        return jsonify(error="images must be png, jpg, jpeg, gif or webp"), 400
    filename = f"{product.id}-{secure_filename(upload.filename)}"
    os.makedirs(current_app.config["UPLOAD_FOLDER"], exist_ok=True)
    upload.save(os.path.join(current_app.config["UPLOAD_FOLDER"], filename))
    product.image_filename = filename
    db.session.commit()
    image_url = url_for("catalog.product_image", product_id=product.id)
    return jsonify(image_url=image_url, filename=filename), 201, {"Location": image_url}


@bp.route("/products/<int:product_id>/image")
def product_image(product_id):
    product = db.get_or_404(Product, product_id)
    if not product.image_filename:
        abort(404, description="this product has no image")
    return send_from_directory(current_app.config["UPLOAD_FOLDER"], product.image_filename)


@bp.route("/products/export.csv")
def export_products():
    """All products as CSV, streamed row by row rather than built in memory."""

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id", "sku", "name", "category", "price", "stock"])
        for product in db.session.scalars(
            db.select(Product).order_by(Product.id).execution_options(yield_per=100)
        ):
            writer.writerow(
                [
                    product.id,
                    product.sku,
                    product.name,
                    product.category.slug,
                    product.price,
                    product.stock,
                ]
            )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    return Response(
        stream_with_context(generate()),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=products.csv"},
    )


# --- categories (class-based views) ---------------------------------------------------------


def validate_category(data, partial=False, category=None):
    values, errors = {}, {}
    if "name" in data or not partial:
        name = data.get("name")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 80:
            errors["name"] = "a name of 1 to 80 characters is required"
        else:
            values["name"] = name.strip()
    if "slug" in data or not partial:
        slug = data.get("slug")
        if not isinstance(slug, str) or len(slug) > 80 or not SLUG_RE.match(slug):
            errors["slug"] = "lowercase letters, digits and dashes"
        else:
            values["slug"] = slug
    for field in ("name", "slug"):
        if field in values:
            clash = Category.query.filter_by(**{field: values[field]}).first()
            if clash is not None and clash is not category:
                errors[field] = "already used by another category"
    return values, errors


class CategoryListAPI(MethodView):
    def get(self):
        categories = Category.query.order_by(Category.name).all()
        return jsonify([category.to_dict() for category in categories])

    @admin_required
    def post(self):
        values, errors = validate_category(json_body())
        if errors:
            return validation_error(errors)
        category = Category(**values)
        db.session.add(category)
        db.session.commit()
        location = url_for("catalog.category", category_id=category.id)
        return jsonify(category.to_dict()), 201, {"Location": location}


class CategoryAPI(MethodView):
    init_every_request = False

    def get(self, category_id):
        category = db.get_or_404(Category, category_id)
        return jsonify(category.to_dict() | {"product_count": category.products.count()})

    @admin_required
    def patch(self, category_id):
        category = db.get_or_404(Category, category_id)
        values, errors = validate_category(json_body(), partial=True, category=category)
        if errors:
            return validation_error(errors)
        for key, value in values.items():
            setattr(category, key, value)
        db.session.commit()
        return jsonify(category.to_dict())

    @admin_required
    def delete(self, category_id):
        category = db.get_or_404(Category, category_id)
        if category.products.count():
            return jsonify(error="the category still has products"), 409
        db.session.delete(category)
        db.session.commit()
        return "", 204


bp.add_url_rule("/categories", view_func=CategoryListAPI.as_view("categories"))
bp.add_url_rule("/categories/<int:category_id>", view_func=CategoryAPI.as_view("category"))


# --- the logged-in user and their orders ----------------------------------------------------


@bp.route("/me")
@login_required
def me():
    return jsonify(current_user.to_dict())


@bp.route("/orders")
@login_required
def list_orders():
    orders = current_user.orders.order_by(Order.id.desc()).all()
    return jsonify(orders=[order.to_dict() for order in orders])


@bp.route("/orders", methods=["POST"])
@login_required
def create_order():
    try:
        data = OrderSchema().load(json_body())
    except ValidationError as error:
        return validation_error(error.messages)
    quantities = {}
    for line in data["lines"]:
        quantities[line["product_id"]] = quantities.get(line["product_id"], 0) + line["quantity"]
    try:
        order = place_order(
            current_user, quantities, shipping=data["shipping"], full_name=current_user.name
        )
    except OrderError as error:
        return jsonify(error=error.message), error.status
    location = url_for("catalog.get_order", order_id=order.id)
    return jsonify(order.to_dict()), 201, {"Location": location}


@bp.route("/orders/<int:order_id>")
@login_required
def get_order(order_id):
    order = Order.query.filter_by(id=order_id, user_id=current_user.id).first_or_404()
    return jsonify(order.to_dict())


# --- a side-effect-free endpoint that takes large bodies ------------------------------------


@bp.route("/quote", methods=["POST"])
def quote():
    try:
        data = QuoteSchema().load(json_body())
    except ValidationError as error:
        return validation_error(error.messages)
    wanted = {line["product_id"] for line in data["lines"]}
    prices = dict(
        db.session.execute(db.select(Product.id, Product.price).where(Product.id.in_(wanted))).all()
    )
    total = Decimal("0.00")
    unknown = set()
    for line in data["lines"]:
        if line["product_id"] in prices:
            total += prices[line["product_id"]] * line["quantity"]
        else:
            unknown.add(line["product_id"])
    return jsonify(
        currency=data["currency"],
        lines=len(data["lines"]),
        total=total,
        unknown_products=sorted(unknown),
    )
