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


def test_the_verification_samples_a_routes_own_converter_first_and_its_groups_last() -> None:
    from django.urls import register_converter

    from codemods.django.verify_legacy import _regex_samples

    class Actions:
        regex = "(subscribe|update)"

        def to_python(self, value: str) -> str:
            return value

        def to_url(self, value: str) -> str:
            return value

    register_converter(Actions, "sample_actions")
    own, groups = _regex_samples(r"<slug:s>/<sample_actions:action>/")
    assert (own, groups) == ({"action": ["subscribe"]}, {})
    own, groups = _regex_samples(r"^inbox/(?:(?P<option>m)/)?$")
    assert (own, groups) == ({}, {"option": ["m", ""]})
    own, groups = _regex_samples(r"^reply/(?P<message_id>[\d]+)/$")
    assert groups == {"message_id": ["0"]}
