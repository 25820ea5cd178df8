"""A plain Django `forms.Form` whose own querying methods run on a SQLAlchemy session.

The generated twin of a plain form puts `SessionForm` before the legacy form and holds the
legacy form's querying methods (`clean_<field>`, `clean`, a helper), translated to statements on
`self.session`:

    class ResendActivationFormWithSession(SessionForm, ResendActivationForm):
        def clean_email(self): ...  # on self.session

    form = ResendActivationFormWithSession(data=request.POST, session=session)

Everything else stays Django's: the declared fields, their widgets and messages, the form's
other methods, `form.errors` and the form re-rendered with them. The form saves no row of its
own (it has no model); a method of it that writes does so through the session.
Transitional: it goes with the legacy project, when a person ports the form to a Pydantic model.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session


class SessionForm:
    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        self.session = session
        super().__init__(*args, **kwargs)
