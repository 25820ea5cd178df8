"""The route's SQLAlchemy session on a class-based view: `self.session`, as a function view gets
its `session` parameter. Permanent while class-based views run Django's own dispatch.

    class Favorites(SessionView, View):
        def get(self, request):
            session = self.session
            rows = session.scalars(select(tables.Favorite)...).all()

`class_view` gives a view built on it the route's session (a `Depends(get_session)`
parameter), put on the request for `setup`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

SESSION_ATTRIBUTE = "strangler_session"  # where class_view puts the session on the request


class SessionView:
    """A mixin put first in a class-based view's bases: `self.session` is the route's."""

    session: Session

    def setup(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)  # type: ignore[misc]
        self.session = getattr(request, SESSION_ATTRIBUTE)
