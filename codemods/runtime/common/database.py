"""The SQLAlchemy sessions of the migrated views, whichever framework the legacy app used: one
engine per database URL, made on first use, and the request's session closed without stalling.
Permanent."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool


@lru_cache(maxsize=8)
def sessions_for(url: str) -> sessionmaker[Session]:
    return sessionmaker(create_engine(url))


async def release(session: Session) -> None:
    """Close a request's session: on the event loop when it holds no connection (the view's
    teardown gave it back already), else on a thread, since closing then talks to the database.
    Never a thread per request only to close: with every thread waiting for a pooled connection,
    the close that would free one could not get a thread (a stall at 64 connections)."""
    in_transaction = getattr(session, "in_transaction", None)  # SQLAlchemy 1.4+
    if in_transaction is None or in_transaction():  # 1.3 (lemur's pin): closed on a thread
        await run_in_threadpool(session.close)
    else:
        session.close()
