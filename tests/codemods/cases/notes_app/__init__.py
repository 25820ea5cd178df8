"""A classic small Flask app the environment codemods are checked against end to end: sqlite3
through `g` with a teardown, a `before_app_request` loading `g.user`, its own `login_required`
decorator, `flash`, templates reading `g` and flashed messages, and a factory taking a test
config with an instance-relative configuration."""

import os

from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY="notes-dev-key",
        DATABASE=os.path.join(app.instance_path, "notes.sqlite"),
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    @app.route("/ping")
    def ping():
        return "pong"

    from . import db

    db.init_app(app)

    from . import auth, notes

    app.register_blueprint(auth.bp)
    app.register_blueprint(notes.bp)
    app.add_url_rule("/", endpoint="index")
    return app
