"""The generated `get_session` (`request_session`): one session per request, given back to its
pool once the request is answered, whether the view answered, raised or was never reached."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from codemods.runtime.common.database import sessions_for
from codemods.runtime.flask.compat import FlaskRoute, abort, jsonify
from codemods.runtime.flask.context import FlaskConfig, current_session
from codemods.runtime.flask.database import request_session


async def get_session(request: Request) -> Session:  # as the codemod writes it
    return request_session(request)


def shop(tmp_path: Path) -> tuple[TestClient, str]:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    app = FastAPI()
    app.router.route_class = FlaskRoute
    app.state.config = FlaskConfig(SQLALCHEMY_DATABASE_URI=url)

    @app.get("/ok", dependencies=[Depends(get_session)])
    def ok(session: Annotated[Session, Depends(get_session)]) -> Any:
        value = session.execute(text("select 1")).scalar()
        return jsonify(value=value, same=current_session() is session)

    @app.get("/fails")
    def fails(session: Annotated[Session, Depends(get_session)]) -> Any:
        session.execute(text("select 1"))
        abort(409)

    @app.get("/typed")
    def typed(number: int, session: Annotated[Session, Depends(get_session)]) -> Any:
        return jsonify(number=number)

    return TestClient(app), url


def checked_out(url: str) -> int:
    return int(sessions_for(url).kw["bind"].pool.checkedout())


def test_the_view_and_its_helpers_share_the_one_session_of_the_request(tmp_path: Path) -> None:
    client, url = shop(tmp_path)
    assert client.get("/ok").json() == {"value": 1, "same": True}
    assert checked_out(url) == 0


@pytest.mark.parametrize(("path", "status"), [("/fails", 409), ("/typed?number=x", 422)])
def test_the_connection_is_back_in_the_pool_when_the_view_raised_or_never_ran(
    tmp_path: Path, path: str, status: int
) -> None:
    client, url = shop(tmp_path)
    assert client.get(path).status_code == status
    assert checked_out(url) == 0
