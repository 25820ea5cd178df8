"""The form pass of verification: a route that answers GET and also takes POST (a form's page) is
posted a valid submission of the forms its legacy page rendered, on both sides, after every
route's GET of both sides; a route that takes POST only (a button's form on another page:
delete, like, pin) is posted its CSRF token alone, as such a form sends it, or, when its view
reads the submission (the route's `post_keys`/`post_forms`), what it reads, with the token.
Each submission starts from the same database state on both sides: the prepared sandbox's,
before any call (kept once, put back before every submission), so that no other call's writes
reach its comparison; it is posted to legacy, then at once to the generated app (probe.py's
`NewCalls.form_pass`), so both sides see the same time since that state.
Compared: the status, the redirect's `Location` and the rows the submission wrote (rows.py).

The adapter provides (Django's: codemods/django/verify_legacy.py): `form_callers(app)` (made
before the sandbox's state is saved: `{"token", "anonymous", "user"}`, the callers' headers),
`record_forms(app)` (a recorder of the forms pages render: `clear()`, `stop()`),
`form_body(app, recorder, token)` (the body and its content type), `rows(app, since)` (a
snapshot of the database, what was written at or after `since` masked as "now"),
`keep_rows(app)` and `put_back_rows(app)`. An adapter without them has no form pass. Its
`frozen_clock(app, instant)`, when it has one, is a context in which the project's clock reads
`instant`: both calls of a pair run in it with the same instant, so a middleware writing a row
only once some time has passed since the one it holds (Spirit's `LastSeenMiddleware`) decides
alike on both sides (without it, a pair straddling that moment wrote on one side only). Its
`form_errors(app, recorder)`, when it has one, says which fields the legacy side refused in the
submission (the forms it rendered again, bound, with their errors): `refused` in the legacy
answer, for reading why a submission was not taken (not compared). Its
`form_body_outside(app, recorder, token)`, when it has one, gives a second submission of the
page's forms with a choice outside a field's choices (None: there is none), posted and compared
as the valid one (`outside`): the generated side must refuse what the legacy side refuses.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from codemods.engine.verify.calls import AJAX_HEADERS, Body
from codemods.engine.verify.rows import written

HOOKS = ("form_callers", "record_forms", "form_body", "rows", "keep_rows", "put_back_rows")
HTML = "text/html"
URLENCODED = "application/x-www-form-urlencoded"


def page(seen: dict[str, Any]) -> bool:
    """An answer a browser shows as a page it can submit: 200, HTML, no error."""
    html = str(seen.get("type") or "").startswith(HTML)
    return seen.get("status") == 200 and not seen.get("error") and html


class NoForms:
    """A recorder that saw no form (the page of a POST-only route is elsewhere)."""

    forms: list[Any] = []


@dataclass(frozen=True)
class Submission:
    method: str
    url: str
    headers: dict[str, str]  # the caller's (its cookies)
    body: Body

    def fields(self) -> list[str]:
        """The names the body sends (an urlencoded one's), for reading the report's details."""
        if self.body.content_type != URLENCODED:
            return []
        return [
            name
            for name, _ in urllib.parse.parse_qsl(
                self.body.content.decode("ascii"), keep_blank_values=True
            )
        ]


@dataclass
class FormPass:
    adapter: Any
    app: Any
    callers: dict[str, Any]
    recorder: Any
    submissions: dict[str, Submission] = field(default_factory=dict)
    outside: dict[str, Submission] = field(default_factory=dict)  # a choice outside the choices
    # the valid submission again with the AJAX header, for a route whose view reads it
    ajax: dict[str, Submission] = field(default_factory=dict)

    @classmethod
    def start(cls, adapter: Any, app: Any, callers: dict[str, Any]) -> FormPass | None:
        """The pass, recording the forms legacy pages render from now on; None when the adapter
        has no form pass or gave no caller."""
        if app is None or not all(hasattr(adapter, hook) for hook in HOOKS) or not callers:
            return None
        try:
            adapter.keep_rows(app)
            return cls(adapter, app, callers, adapter.record_forms(app))
        except Exception:  # a database it cannot copy: no form pass
            return None

    def before_get(self) -> None:
        self.recorder.clear()

    def after_get(
        self,
        key: str,
        call: dict[str, Any],
        url: str,
        seen: dict[str, Any],
        as_user: bool,
        posted: Body | None = None,
    ) -> None:
        """Keep a submission of what the GET's page rendered, when the route takes a form's
        POST and the page answered 200 with HTML (a page a browser could submit); for a route
        called with that method already (POST only), `posted` (what its view reads of the
        submission: probe.py's `posted_body`), else no field but the CSRF token."""
        method = call.get("form_method")
        caller = self.callers.get("user" if as_user else "anonymous")
        if not method or caller is None:
            return
        recorder = self.recorder
        if call["method"] == method:
            recorder = NoForms()
        elif not page(seen):
            return
        token = self.callers["token"]
        if call["method"] == method and posted is not None:
            content, content_type = posted.content, posted.content_type
        else:
            content, content_type = self.adapter.form_body(self.app, recorder, token)
        self.submissions[key] = Submission(method, url, dict(caller), Body(content, content_type))
        if call.get("ajax"):
            headers = {**caller, **AJAX_HEADERS}
            self.ajax[key] = Submission(method, url, headers, Body(content, content_type))
        outside = getattr(self.adapter, "form_body_outside", None)
        found = outside(self.app, recorder, token) if outside and recorder.forms else None
        if found is not None:
            self.outside[key] = Submission(method, url, dict(caller), Body(*found))

    @staticmethod
    def clock() -> float:
        """The instant a submission's pair of calls starts: both sides' `since`, and what the
        project's clock reads during both calls."""
        return time.time()

    def stop(self) -> None:
        """No more recording (the new side renders with Django too)."""
        self.recorder.stop()

    def post(self, send: Callable[[], dict[str, Any]], instant: float) -> dict[str, Any]:
        """What `send` (the submission's call, answered as probe.py records it) saw, with the
        rows it wrote, from the kept state, the project's clock reading `instant` (the pair's:
        `clock`)."""
        before = self._start(instant)
        self.recorder.clear()
        with self._clock(instant):
            seen = send()
        self._with_rows(seen, before, instant)
        refused = getattr(self.adapter, "form_errors", None)
        if refused is not None:
            try:
                seen["refused"] = refused(self.app, self.recorder)
            except Exception as error:
                seen["refused"] = {"": [f"{type(error).__name__}: {error}"]}
        return seen

    async def post_async(
        self, send: Callable[[], Awaitable[dict[str, Any]]], instant: float
    ) -> dict[str, Any]:
        before = self._start(instant)
        with self._clock(instant):
            seen = await send()
        self._with_rows(seen, before, instant)
        return seen

    def _clock(self, instant: float) -> AbstractContextManager[Any]:
        frozen = getattr(self.adapter, "frozen_clock", None)
        return nullcontext() if frozen is None else frozen(self.app, instant)

    def _start(self, instant: float) -> Any:
        try:
            self.adapter.put_back_rows(self.app)
            return self.adapter.rows(self.app, instant)
        except Exception as error:  # a database the adapter cannot read or write
            return error

    def _with_rows(self, seen: dict[str, Any], before: Any, since: float) -> None:
        """`seen` with the rows its call wrote (`rows`), or why they could not be read."""
        try:
            if isinstance(before, Exception):
                raise before
            seen["rows"] = written(before, self.adapter.rows(self.app, since))
        except Exception as error:
            seen["rows_error"] = f"{type(error).__name__}: {error}"
