"""JSON API of the tiny shop: products kept in memory."""

from typing import Any

from flask import Blueprint, abort, jsonify, redirect, request, url_for

bp = Blueprint("api", __name__, url_prefix="/api")

PRODUCTS: dict[int, dict[str, Any]] = {
    1: {"id": 1, "name": "tea", "price": 3},
    2: {"id": 2, "name": "café", "price": 5},
}


@bp.route("/products/<int:product_id>", methods=["GET", "DELETE"])
def product(product_id):
    if product_id not in PRODUCTS:
        abort(404)
    if request.method == "DELETE":
        return "", 204
    return jsonify(PRODUCTS[product_id])


@bp.route("/products/<name>")
def by_name(name):
    for item in PRODUCTS.values():
        if item["name"] == name:
            return jsonify(item)
    abort(404)


@bp.route("/products/cheapest")
def cheapest():
    return jsonify(min(PRODUCTS.values(), key=lambda p: p["price"]))


@bp.route("/products")
def list_products():
    page = request.args.get("page", 1, type=int)
    search = request.args.get("q", "")
    tags = request.args.getlist("tag")
    items = [p for p in PRODUCTS.values() if search in p["name"]]
    return jsonify(items=items, page=page, tags=tags)


@bp.route("/products", methods=["POST"])
def create_product():
    data = request.get_json()
    name = data["name"]
    if not name:
        abort(400)
    return jsonify({"name": name, "price": data.get("price", 0)}), 201, {"X-Created": name}


@bp.route("/echo-header")
def echo_header():
    return jsonify(token=request.headers.get("X-Token"), path=request.path)


@bp.route("/first")
def first():
    return redirect(url_for(".product", product_id=1))
