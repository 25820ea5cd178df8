"""A route's mode as one small class, as Starlette's routes are: who answers a request, whether
the mode needs a migrated handler, what it reports.

The front finds a request's route, then calls `route.mode.answer(call, sides)`; `sides` is the
front itself (`Sides`): the legacy bridge, the migrated app, the canary assigner and the shadow
mirror. A mode returns the side that answered, for the log line and the metrics.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol

from starlette.types import Receive, Scope, Send

if TYPE_CHECKING:
    from proxy.canary_assignment import CanaryAssigner
    from proxy.route_table import Route
    from proxy.session_user import UserReader

ModeName = Literal["legacy", "shadow", "canary", "new", "retired"]
Side = Literal["legacy", "new", "front"]
UNMATCHED = "<unmatched>"


class Outcome:
    """Who is answering a request, known before the answer, for the log line and metrics of a
    request that fails."""

    __slots__ = ("route", "side")

    def __init__(self) -> None:
        self.side: str = "front"
        self.route: str = UNMATCHED


@dataclass(slots=True)
class Call:
    """One request to a configured route."""

    scope: Scope
    receive: Receive
    send: Send
    route: Route
    request_id: str
    outcome: Outcome

    def answering(self, side: Side) -> None:
        self.outcome.side, self.outcome.route = side, self.route.path

    def through(self, scope: Scope, receive: Receive, send: Send) -> Call:
        """This call with another exchange (the shadow's capture): `dataclasses.replace` costs
        five times more, on the client's path of each mirrored request."""
        return Call(scope, receive, send, self.route, self.request_id, self.outcome)


SideCall = Callable[[Call], Awaitable[None]]


class Mirror(Protocol):
    """The shadow mode's extension point: answer `call` with legacy and mirror it to the new
    side in the background (`proxy.shadow`). The client never waits for the mirror."""

    def answer_and_mirror(self, call: Call, legacy: SideCall) -> Awaitable[None]:
        """An awaitable (a coroutine function fits): the front's mirror hands back legacy's own
        call for a request it does not mirror."""
        ...


class Sides(Protocol):
    """What a mode may call: the front's two sides and its own answers."""

    canary: CanaryAssigner
    mirror: Mirror
    session_user: UserReader | None
    """The user id the legacy session names, from a request's cookies (`proxy.session_user`)."""

    async def answer_legacy(self, call: Call) -> None:
        """The legacy WSGI app answers."""

    async def answer_new(self, call: Call) -> None:
        """The migrated app answers (503 from the front when it is not loaded)."""

    async def answer_not_found(self, call: Call, message: str) -> None:
        """The front answers 404 in its own error format."""


class Mode(ABC):
    name: ClassVar[ModeName]
    needs_handler: ClassVar[bool]
    """The mode calls the route's migrated handler, so a flip to it needs one."""
    hides_legacy: ClassVar[bool] = False
    """No spelling of the path may reach the legacy handler (HEAD of a GET route, another case
    or a trailing slash included)."""

    def __init__(self, weight: int = 0) -> None:
        self.weight = weight

    @abstractmethod
    async def answer(self, call: Call, sides: Sides) -> Side:
        """Answer the request; the side that did."""

    @abstractmethod
    def answered_by(self) -> str:
        """Who answers, as `strangler routes` and the logs say it."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(weight={self.weight})" if self.weight else self.name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mode) and (self.name, self.weight) == (other.name, other.weight)

    def __hash__(self) -> int:
        return hash((self.name, self.weight))
