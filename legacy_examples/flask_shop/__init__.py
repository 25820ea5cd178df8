"""flask_shop: a small Flask 3 shop, the kind of application teams migrate away from.

`create_app(config)` is the application factory; `wsgi.py` builds the app for gunicorn.
"""

import os
import time

import click
from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .config import config_from_environment, normalize_database_url
from .extensions import csrf, db, login_manager


def create_app(config=None):
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config_from_environment(app.instance_path))
    if config:
        app.config.from_mapping(config)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "error"
    # The JSON API answers 401 instead of redirecting to the login page.
    login_manager.blueprint_login_views = {"catalog": None}

    from . import auth, catalog, shop

    app.register_blueprint(catalog.bp)
    app.register_blueprint(shop.bp)
    app.register_blueprint(auth.bp)
    # The API is used by scripts with a session cookie, not by forms.
    csrf.exempt(catalog.bp)

    register_request_hooks(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def register_request_hooks(app):
    @app.before_request
    def start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def add_timing_header(response):
        started = getattr(g, "request_started", None)
        if started is not None:
            elapsed_ms = (time.perf_counter() - started) * 1000
            response.headers["X-Response-Time-Ms"] = f"{elapsed_ms:.1f}"
        return response


def wants_json():
    return request.path == "/api" or request.path.startswith("/api/")


def register_error_handlers(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/error.html", error=error), 400

    @app.errorhandler(HTTPException)
    def http_error(error):
        if wants_json():
            response = jsonify(error=error.name, message=error.description, status=error.code)
            response.status_code = error.code
            valid_methods = getattr(error, "valid_methods", None)
            if error.code == 405 and valid_methods:
                response.headers["Allow"] = ", ".join(valid_methods)
            return response
        if error.code == 404:
            return render_template("errors/404.html"), 404
        return error

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        if wants_json():
            return jsonify(error="Internal Server Error", status=500), 500
        return render_template("errors/500.html"), 500


def register_commands(app):
    @app.cli.command("seed")
    def seed_command():
        """Create the tables and the demo data (safe to run again)."""
        from .seed import DEMO_USERS, seed_database

        created = seed_database(app)
        click.echo(f"seeded {app.config['SQLALCHEMY_DATABASE_URI']}: {created}")
        for user in DEMO_USERS:
            click.echo(f"  {user['email']} / {user['password']}")
