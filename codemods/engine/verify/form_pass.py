"""The form pass of verification: a route that answers GET and also takes POST (a form's page) is
posted a valid submission of the forms its legacy page rendered, on both sides, after every
route's GET. Each submission starts from the same database state on both sides: the one the
legacy side's GETs left (kept once, put back before every submission), so that one route's
writes never reach another's comparison. Compared: the status, the redirect's `Location` and
the rows the submission wrote (rows.py).

The adapter provides (Django's: codemods/django/verify_legacy.py): `form_callers(app)` (made
before the sandbox's state is saved: `{"token", "anonymous", "user"}`, the callers' headers),
`record_forms(app)` (a recorder of the forms pages render: `clear()`, `stop()`),
`form_body(app, recorder, token)` (the body and its content type), `rows(app, since)` (a
snapshot of the database, what was written at or after `since` masked as "now"),
`keep_rows(app)` and `put_back_rows(app)`. An adapter without them has no form pass.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from codemods.engine.verify.calls import Body, Caller
from codemods.engine.verify.rows import written

HOOKS = ("form_callers", "record_forms", "form_body", "rows", "keep_rows", "put_back_rows")
HTML = "text/html"


@dataclass(frozen=True)
class Submission:
    method: str
    url: str
    headers: dict[str, str]  # the caller's (its cookies)
    body: Body


@dataclass
class FormPass:
    adapter: Any
    app: Any
    callers: dict[str, Any]
    recorder: Any
    submissions: dict[str, Submission] = field(default_factory=dict)

    @classmethod
    def start(cls, adapter: Any, app: Any, callers: dict[str, Any]) -> FormPass | None:
        """The pass, recording the forms legacy pages render from now on; None when the adapter
        has no form pass or gave no caller."""
        if app is None or not all(hasattr(adapter, hook) for hook in HOOKS) or not callers:
            return None
        return cls(adapter, app, callers, adapter.record_forms(app))

    def before_get(self) -> None:
        self.recorder.clear()

    def after_get(
        self, key: str, call: dict[str, Any], url: str, seen: dict[str, Any], as_user: bool
    ) -> None:
        """Keep a submission of what the GET's page rendered, when the route takes a form's
        POST and the page answered 200 with HTML (a page a browser could submit)."""
        method = call.get("form_method")
        caller = self.callers.get("user" if as_user else "anonymous")
        if not method or caller is None or seen.get("status") != 200 or seen.get("error"):
            return
        if not str(seen.get("type") or "").startswith(HTML):
            return
        content, content_type = self.adapter.form_body(
            self.app, self.recorder, self.callers["token"]
        )
        self.submissions[key] = Submission(method, url, dict(caller), Body(content, content_type))

    def stop(self) -> None:
        """No more recording; the database state every submission starts from is kept."""
        self.recorder.stop()
        if self.submissions:
            self.adapter.keep_rows(self.app)

    def caller(self, key: str, user_agent: str) -> Caller:
        return Caller(user_agent, self.submissions[key].headers)

    def post(self, send: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """What `send` (the submission's call, answered as probe.py records it) saw, with the
        rows it wrote, from the kept state."""
        before, since = self._start()
        seen = send()
        self._with_rows(seen, before, since)
        return seen

    async def post_async(self, send: Callable[[], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
        before, since = self._start()
        seen = await send()
        self._with_rows(seen, before, since)
        return seen

    def _start(self) -> tuple[Any, float]:
        since = time.time()
        try:
            self.adapter.put_back_rows(self.app)
            return self.adapter.rows(self.app, since), since
        except Exception as error:  # a database the adapter cannot read or write
            return error, since

    def _with_rows(self, seen: dict[str, Any], before: Any, since: float) -> None:
        """`seen` with the rows its call wrote (`rows`), or why they could not be read."""
        try:
            if isinstance(before, Exception):
                raise before
            seen["rows"] = written(before, self.adapter.rows(self.app, since))
        except Exception as error:
            seen["rows_error"] = f"{type(error).__name__}: {error}"
