"""In the verification's sandbox, Werkzeug's new password hashes are cheap to make, as a test
run would make them (codemods/flask/verify_legacy.py), and a stored hash is still checked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from werkzeug import security

from codemods.flask.verify_legacy import (
    FAST_PBKDF2_ITERATIONS,
    FAST_SCRYPT,
    fast_password_hashing,
)


@pytest.fixture(autouse=True)
def werkzeug_restored() -> Iterator[None]:
    defaults = security.generate_password_hash.__defaults__
    iterations = security.DEFAULT_PBKDF2_ITERATIONS
    try:
        yield
    finally:
        security.generate_password_hash.__defaults__ = defaults
        security.DEFAULT_PBKDF2_ITERATIONS = iterations


def test_the_default_method_hashes_with_a_small_scrypt_cost() -> None:
    fast_password_hashing()
    hashed = security.generate_password_hash("secret")
    assert hashed.startswith(f"{FAST_SCRYPT}$")
    assert security.check_password_hash(hashed, "secret")


def test_pbkdf2_hashes_with_few_iterations() -> None:
    fast_password_hashing()
    hashed = security.generate_password_hash("secret", "pbkdf2")
    assert hashed.startswith(f"pbkdf2:sha256:{FAST_PBKDF2_ITERATIONS}$")


def test_a_hash_stored_before_is_checked_with_the_parameters_it_names() -> None:
    stored = security.generate_password_hash("secret", "pbkdf2:sha256:2000")
    fast_password_hashing()
    assert security.check_password_hash(stored, "secret")
    assert not security.check_password_hash(stored, "other")
