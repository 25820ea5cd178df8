"""A sample string for a path converter's regex, for the verification's URLs."""

from __future__ import annotations

import re

import pytest

from codemods.django.regex_sample import regex_sample


@pytest.mark.parametrize(
    ("regex", "sample"),
    [
        ("(subscribe|update|unsubscribe)", "subscribe"),  # django-newsletter's actions
        ("[0-9]{4}", "0000"),
        (r"[\d]+", "0"),
        (r"\w+\.\w+", "a.a"),
        ("[-a-zA-Z0-9_]+", "-"),
    ],
)
def test_a_sample_is_the_first_branch_and_the_fewest_repeats(regex: str, sample: str) -> None:
    assert regex_sample(regex) == sample
    assert re.fullmatch(regex, sample)


@pytest.mark.parametrize("regex", ["[^/]+", "(?!x)a", r"(a)\1"])
def test_a_regex_it_does_not_read_has_no_sample(regex: str) -> None:
    assert regex_sample(regex) is None
