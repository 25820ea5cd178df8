"""The HTML shop: catalogue pages, a cart kept in the session, checkout and order history."""

import os

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.utils import secure_filename

from .extensions import db
from .forms import AddToCartForm, CheckoutForm, ProductForm
from .models import Category, Order, Product
from .orders import OrderError, place_order

bp = Blueprint("shop", __name__)


@bp.before_app_request
def load_cart():
    """The cart lives in the signed session cookie as {product id (str): quantity}."""
    g.cart = session.get("cart", {})


def save_cart(cart):
    session["cart"] = cart
    session.modified = True


@bp.app_context_processor
def inject_cart_size():
    return {"cart_size": sum(g.get("cart", {}).values())}


@bp.route("/")
def index():
    page = request.args.get("page", 1, type=int)
    category_slug = request.args.get("category")
    query = db.select(Product).order_by(Product.id)
    category = None
    if category_slug:
        category = Category.query.filter_by(slug=category_slug).first_or_404()
        query = query.filter_by(category_id=category.id)
    pagination = db.paginate(query, page=page, per_page=12, error_out=False)
    categories = Category.query.order_by(Category.name).all()
    return render_template(
        "shop/index.html", pagination=pagination, categories=categories, category=category
    )


@bp.route("/products/<int:product_id>")
def product_page(product_id):
    product = db.get_or_404(Product, product_id)
    return render_template("shop/product.html", product=product, form=AddToCartForm())


@bp.route("/cart/add/<int:product_id>", methods=["POST"])
def add_to_cart(product_id):
    product = db.get_or_404(Product, product_id)
    form = AddToCartForm()
    if not form.validate_on_submit():
        flash("Choose a quantity between 1 and 99.", "error")
        return redirect(url_for("shop.product_page", product_id=product.id))
    cart = dict(g.cart)
    cart[str(product.id)] = cart.get(str(product.id), 0) + form.quantity.data
    save_cart(cart)
    flash(f"Added {form.quantity.data} × {product.name} to your cart.", "success")
    return redirect(url_for("shop.cart"))


@bp.route("/cart/remove/<int:product_id>", methods=["POST"])
def remove_from_cart(product_id):
    cart = dict(g.cart)
    if cart.pop(str(product_id), None) is None:
        abort(404)
    save_cart(cart)
    flash("Removed from your cart.", "success")
    return redirect(url_for("shop.cart"))


def cart_lines():
    if not g.cart:
        return [], 0
    products = Product.query.filter(Product.id.in_([int(pid) for pid in g.cart])).all()
    lines = [(product, g.cart[str(product.id)]) for product in products]
    total = sum((product.price * quantity for product, quantity in lines), 0)
    return lines, total


@bp.route("/cart")
def cart():
    lines, total = cart_lines()
    return render_template("shop/cart.html", lines=lines, total=total)


@bp.route("/checkout", methods=["GET", "POST"])
@login_required
def checkout():
    lines, total = cart_lines()
    if not lines:
        flash("Your cart is empty.", "error")
        return redirect(url_for("shop.cart"))
    form = CheckoutForm()
    if request.method == "GET":
        form.full_name.data = current_user.name
    if form.validate_on_submit():
        try:
            order = place_order(
                current_user,
                {product.id: quantity for product, quantity in lines},
                full_name=form.full_name.data,
                address=form.address.data,
                city=form.city.data,
                postcode=form.postcode.data or None,
                shipping=form.shipping.data,
                notes=form.notes.data or None,
            )
        except OrderError as error:
            flash(error.message, "error")
        else:
            save_cart({})
            flash(f"Thank you! Order #{order.id} is placed.", "success")
            return redirect(url_for("shop.orders"))
    return render_template("shop/checkout.html", form=form, lines=lines, total=total)


@bp.route("/orders")
@login_required
def orders():
    orders = current_user.orders.order_by(Order.id.desc()).all()
    return render_template("shop/orders.html", orders=orders)


@bp.route("/admin/products/new", methods=["GET", "POST"])
@login_required
def new_product():
    if not current_user.is_admin:
        abort(403)
    form = ProductForm()
    form.category_id.choices = [(c.id, c.name) for c in Category.query.order_by(Category.name)]
    if form.validate_on_submit():
        sku = form.sku.data.strip().upper()
        if Product.query.filter_by(sku=sku).first() is not None:
            form.sku.errors.append("This SKU is already used.")
        else:
            product = Product(
                name=form.name.data,
                sku=sku,
                description=form.description.data or "",
                price=form.price.data,
                stock=form.stock.data,
                category_id=form.category_id.data,
            )
            db.session.add(product)
            db.session.flush()
            if form.image.data:
                filename = f"{product.id}-{secure_filename(form.image.data.filename)}"
                os.makedirs(current_app.config["UPLOAD_FOLDER"], exist_ok=True)
                form.image.data.save(os.path.join(current_app.config["UPLOAD_FOLDER"], filename))
                product.image_filename = filename
            db.session.commit()
            flash(f"Created {product.name}.", "success")
            return redirect(url_for("shop.product_page", product_id=product.id))
    return render_template("shop/product_form.html", form=form)
