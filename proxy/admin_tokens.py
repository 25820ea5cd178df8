"""Bearer tokens of the admin API: the config holds only their SHA-256 hashes.

    [[admin.tokens]]
    name = "ana"
    role = "operator"        # "viewer" reads; "operator" also changes
    sha256 = "<64 hex digits>"

`strangler admin token --role operator --name ana` makes a token and prints it once, with the
lines to add. A presented token is hashed and compared with every configured hash in constant
time (no early exit, so the timing tells nothing about which or how many matched). Tokens are
never logged: only the token's name and role leave this module.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Role = Literal["viewer", "operator"]
ROLES: tuple[Role, ...] = ("viewer", "operator")
TOKEN_PREFIX = "stgl_"
NAME_PATTERN = r"^[A-Za-z0-9_.@-]{1,64}$"
_RANK: dict[str, int] = {"viewer": 1, "operator": 2}


class AdminToken(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME_PATTERN, description="who holds the token (audit log: who)")
    role: Role
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$", description="SHA-256 of the token, hex")

    @field_validator("sha256")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class AdminSettings(BaseModel):
    """The `[admin]` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tokens: tuple[AdminToken, ...] = ()

    @field_validator("tokens")
    @classmethod
    def _unique_names(cls, tokens: tuple[AdminToken, ...]) -> tuple[AdminToken, ...]:
        names = [token.name for token in tokens]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"token names must be unique: {', '.join(repeated)}")
        return tokens


@dataclass(frozen=True)
class AdminIdentity:
    name: str
    role: Role

    def may(self, needed: Role) -> bool:
        """Whether this identity has `needed` (an operator may do what a viewer may)."""
        return _RANK[self.role] >= _RANK[needed]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_token() -> str:
    """A new random token (256 bits)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def config_lines(name: str, role: Role, token: str) -> str:
    """The `[[admin.tokens]]` table to add to strangler.toml for `token`."""
    return f'[[admin.tokens]]\nname = "{name}"\nrole = "{role}"\nsha256 = "{token_hash(token)}"'


class TokenVerifier:
    def __init__(self, tokens: tuple[AdminToken, ...] | list[AdminToken]) -> None:
        self._tokens = [(bytes.fromhex(t.sha256), AdminIdentity(t.name, t.role)) for t in tokens]

    def identify(self, token: str) -> AdminIdentity | None:
        presented = hashlib.sha256(token.encode()).digest()
        found: AdminIdentity | None = None
        for expected, identity in self._tokens:
            if hmac.compare_digest(presented, expected) and found is None:
                found = identity
        return found

    def from_authorization(self, header: str | None) -> AdminIdentity | None:
        """The identity of an `Authorization: Bearer <token>` header, else None."""
        if not header:
            return None
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self.identify(token.strip())
