import functools

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from .db import get_db

bp = Blueprint("auth", __name__, url_prefix="/auth")


def login_required(view):
    @functools.wraps(view)
    def wrapped_view(**kwargs):
        if g.user is None:
            return redirect(url_for("auth.login"))
        return view(**kwargs)

    return wrapped_view


@bp.before_app_request
def load_logged_in_user():
    author_id = session.get("author_id")
    if author_id is None:
        g.user = None
    else:
        g.user = get_db().execute("SELECT * FROM author WHERE id = ?", (author_id,)).fetchone()


@bp.route("/register", methods=("GET", "POST"))
def register():
    if request.method == "POST":
        name = request.form["name"]
        password = request.form["password"]
        db = get_db()
        error = None
        if not name:
            error = "A name is required."
        elif not password:
            error = "A password is required."
        if error is None:
            try:
                db.execute(
                    "INSERT INTO author (name, password) VALUES (?, ?)",
                    (name, generate_password_hash(password)),
                )
                db.commit()
            except db.IntegrityError:
                error = f"{name} is taken."
            else:
                flash("Registered: please log in.")
                return redirect(url_for("auth.login"))
        flash(error)
    return render_template("auth/form.html", title="Register")


@bp.route("/login", methods=("GET", "POST"))
def login():
    if request.method == "POST":
        name = request.form["name"]
        password = request.form["password"]
        author = get_db().execute("SELECT * FROM author WHERE name = ?", (name,)).fetchone()
        if author is None or not check_password_hash(author["password"], password):
            flash("Wrong name or password.")
        else:
            session.clear()
            session["author_id"] = author["id"]
            return redirect(url_for("index"))
    return render_template("auth/form.html", title="Log in")


@bp.route("/logout")
def logout():
    session.clear()
    return redirect(url_for("index"))
