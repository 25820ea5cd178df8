"""A tiny legacy Flask app the whole-app codemod case converts (a legacy folder in)."""

from flask import Flask


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "not-a-secret"
    from .api import bp

    app.register_blueprint(bp)

    @app.route("/health")
    def health():
        return {"ok": True}

    return app
