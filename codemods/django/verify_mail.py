"""The mail a form's submission sent, beside the rows it wrote (verify_rows.py), so that the
verification compares both sides' mail as it compares their rows.

The verification keeps mail in memory (Django's locmem backend, verify_legacy.py's sandbox), and
both sides run in its one process, so every message either side sends lands in
`django.core.mail.outbox`. Each is read as one row of the pseudo-table `(mail sent)`: subject,
body, sender, recipients (to, cc, bcc, reply-to), its extra headers but `Message-ID` and `Date`
(a new value per message on any run) and its HTML alternatives, a per-call value of the rows
it quotes (an activation code in a link) masked as the rows mask it; the form pass's snapshot before
and after the call then yields the messages that call sent (codemods/engine/verify/rows.py),
which must be the same on both sides ("rows written differ in (mail sent): ...").
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from codemods.django.verify_rows import MASKED

MAIL_TABLE = "(mail sent)"
PER_MESSAGE_HEADERS = frozenset({"message-id", "date"})


def sent(masked: Collection[str] = ()) -> dict[str, list[list[Any]]]:
    """`{"(mail sent)": [message, ...]}` of the outbox, or nothing when no mail was sent; each
    value of `masked` (a per-call value of the rows: verify_rows.random_values) quoted in a
    subject, body, header or alternative is masked as in the rows."""
    from django.core import mail

    outbox = getattr(mail, "outbox", None) or []
    if not outbox:
        return {}
    return {MAIL_TABLE: [_message(message, masked) for message in outbox]}


def _masked(text: Any, masked: Collection[str]) -> str:
    found = str(text)
    for value in sorted(masked, key=len, reverse=True):
        found = found.replace(value, MASKED)
    return found


def _message(message: Any, masked: Collection[str] = ()) -> list[Any]:
    headers = sorted(
        [str(name), _masked(value, masked)]
        for name, value in (getattr(message, "extra_headers", None) or {}).items()
        if str(name).lower() not in PER_MESSAGE_HEADERS
    )
    alternatives = [
        [_masked(content, masked), str(kind)] for content, kind in _alternatives(message)
    ]
    return [
        _masked(message.subject, masked),
        _masked(message.body, masked),
        str(message.from_email),
        [str(address) for address in message.to],
        [str(address) for address in message.cc],
        [str(address) for address in message.bcc],
        [str(address) for address in message.reply_to],
        headers,
        alternatives,
        len(message.attachments),
    ]


def _alternatives(message: Any) -> list[tuple[Any, Any]]:
    return [
        (alternative[0], alternative[1]) for alternative in getattr(message, "alternatives", [])
    ]
