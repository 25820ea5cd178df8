"""Flask response helpers -> what generated code calls instead (docs/mappings.md, "Responses")."""

from __future__ import annotations

RUNTIME = "codemods.runtime.flask.compat"
TEMPLATES_RUNTIME = "codemods.runtime.flask.templates"
CONTEXT = "codemods.runtime.flask.context"

# Flask names whose generated replacement has the same name and call shape, in the runtime module.
SAME_SHAPE: dict[str, str] = {
    "jsonify": "sorted keys, ASCII, RFC 822 dates, trailing newline, like Flask's JSON provider",
    "abort": "same status and Werkzeug's HTML body (via FlaskRoute)",
    "redirect": "same status, Location and HTML body",
    "make_response": "Flask's (body, status, headers) return values",
}

# flask.Response keyword -> Starlette Response keyword
RESPONSE_KEYWORDS: dict[str, str] = {
    "status": "status_code",
    "mimetype": "media_type",
    "content_type": "media_type",
    "headers": "headers",
}

# flask.send_file keyword -> FileResponse keyword
SEND_FILE_KEYWORDS: dict[str, str] = {
    "mimetype": "media_type",
    "download_name": "filename",
    "attachment_filename": "filename",
}

TEMPLATE_NOTE = (
    "render_template: flask_templates gives the templates url_for, get_flashed_messages,"
    " csrf_token and current_user, and the blueprints' context processors give theirs; config,"
    " g, session, url_for('static') and the app's own context processors are not there"
)
