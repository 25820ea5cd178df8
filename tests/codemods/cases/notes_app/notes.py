from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from werkzeug.exceptions import abort

from .auth import login_required
from .db import get_db

bp = Blueprint("notes", __name__)


@bp.route("/")
def index():
    notes = (
        get_db()
        .execute(
            "SELECT n.id, text, author_id, name FROM note n JOIN author a ON n.author_id = a.id"
            " ORDER BY n.id DESC"
        )
        .fetchall()
    )
    return render_template("notes/index.html", notes=notes)


def get_note(id):
    note = get_db().execute("SELECT * FROM note WHERE id = ?", (id,)).fetchone()
    if note is None:
        abort(404, f"Note {id} does not exist.")
    if note["author_id"] != g.user["id"]:
        abort(403)
    return note


@bp.route("/new", methods=("GET", "POST"))
@login_required
def new():
    if request.method == "POST":
        text = request.form["text"]
        if not text:
            flash("A note needs some text.")
        else:
            db = get_db()
            db.execute("INSERT INTO note (author_id, text) VALUES (?, ?)", (g.user["id"], text))
            db.commit()
            return redirect(url_for("notes.index"))
    return render_template("notes/edit.html", note=None)


@bp.route("/<int:id>/edit", methods=("GET", "POST"))
@login_required
def edit(id):
    note = get_note(id)
    if request.method == "POST":
        text = request.form["text"]
        db = get_db()
        db.execute("UPDATE note SET text = ? WHERE id = ?", (text, id))
        db.commit()
        return redirect(url_for("notes.index"))
    return render_template("notes/edit.html", note=note)


@bp.route("/<int:id>/delete", methods=("POST",))
@login_required
def delete(id):
    get_note(id)
    db = get_db()
    db.execute("DELETE FROM note WHERE id = ?", (id,))
    db.commit()
    return redirect(url_for("notes.index"))
