import sqlite3

import click
from flask import current_app, g


def get_db():
    if "db" not in g:
        # check_same_thread=False: the migrated side runs the request hooks, the view and the
        # teardown on worker threads that may differ (until they share one thread per request)
        g.db = sqlite3.connect(current_app.config["DATABASE"], check_same_thread=False)
        g.db.row_factory = sqlite3.Row
    return g.db


def close_db(e=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_db():
    db = get_db()
    with current_app.open_resource("schema.sql") as f:
        db.executescript(f.read().decode("utf8"))


@click.command("init-db")
def init_db_command():
    init_db()
    click.echo("Initialized the database.")


def init_app(app):
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
