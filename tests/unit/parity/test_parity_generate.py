from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from proxy.parity.config import Route
from proxy.parity.generate import generate_cases


class Item(BaseModel):
    name: str
    price: float


def openapi() -> dict[str, Any]:
    app = FastAPI()

    @app.get("/items/{item_id}")
    def get_item(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    @app.post("/items")
    def create_item(item: Item) -> Item:
        return item

    @app.get("/other")
    def other() -> None:
        return None

    return app.openapi()


ROUTES = [
    Route(path="/items/{item_id:int}", methods=["GET"], mode="new"),
    Route(path="/items", methods=["POST"], mode="new"),
]


def cases(**kwargs: Any) -> list[Any]:
    options = {
        "phases": ["examples", "coverage", "fuzzing"],
        "max_examples": 5,
        "seed": 1,
        **kwargs,
    }
    return list(generate_cases(openapi(), ROUTES, **options))


def test_only_migrated_operations_with_their_declared_methods() -> None:
    found = cases()
    assert {(c.request.method, c.route.path) for c in found} == {
        ("GET", "/items/{item_id:int}"),
        ("POST", "/items"),
    }


def test_same_seed_same_cases_and_other_seed_other_cases() -> None:
    # Hypothesis starts every run with the same few simplest values, so two seeds only part ways
    # after those: compare enough fuzzed cases for the seed to show.
    def fuzzed(seed: int) -> list[Any]:
        return [c.request for c in cases(seed=seed, phases=["fuzzing"], max_examples=25)]

    first = fuzzed(3)
    assert first == fuzzed(3)
    assert first != fuzzed(4)


@pytest.fixture
def hypothesis_ci_profile() -> Iterator[None]:
    # What Hypothesis loads by itself when it sees a CI environment (CI=true and the like).
    previous = hypothesis.settings._current_profile or "default"
    hypothesis.settings.load_profile("ci")
    yield
    hypothesis.settings.load_profile(previous)


@pytest.mark.usefixtures("hypothesis_ci_profile")
def test_the_seed_still_decides_under_hypothesis_ci_profile() -> None:
    def fuzzed(seed: int) -> list[Any]:
        return [c.request for c in cases(seed=seed, phases=["fuzzing"], max_examples=25)]

    assert fuzzed(3) != fuzzed(4)


def test_phases_and_negative_data_are_labelled() -> None:
    found = cases()
    assert {c.source for c in found} >= {"coverage", "fuzzing"}
    assert any(c.negative for c in found) and any(not c.negative for c in found)


def test_positive_only_when_negative_is_off() -> None:
    assert not any(c.negative for c in cases(negative=False))


def test_schemathesis_bookkeeping_headers_are_dropped() -> None:
    names = {k.lower() for c in cases() for k, _ in c.request.headers}
    assert "x-schemathesis-testcaseid" not in names and "user-agent" not in names
