"""Automatic rollback analysis: each trigger, the window, and the min-sample guard."""

from __future__ import annotations

from proxy.analysis import RollbackAnalysis, RollbackThresholds

THRESHOLDS = RollbackThresholds(
    max_5xx_rate=0.05, max_p99_ratio=2.0, max_diff_rate=0.05, window_seconds=60, min_samples=20
)


def fed(*, new_5xx: int = 0, new_ok: int = 0, at: float = 0.0) -> RollbackAnalysis:
    analysis = RollbackAnalysis(THRESHOLDS)
    for _ in range(new_5xx):
        analysis.observe_request("new", 503, 0.01, at)
    for _ in range(new_ok):
        analysis.observe_request("new", 200, 0.01, at)
    return analysis


def test_a_healthy_route_stays() -> None:
    assert fed(new_ok=100).verdict(now=1).rollback is False


def test_injected_5xx_over_the_rate_roll_back_and_say_why() -> None:
    verdict = fed(new_5xx=10, new_ok=90).verdict(now=1)
    assert (verdict.rollback, verdict.trigger) == (True, "5xx_rate")
    assert "5xx rate 10.0% > 5.0% over 100 requests" in verdict.reason


def test_a_5xx_rate_at_the_threshold_stays() -> None:
    assert fed(new_5xx=5, new_ok=95).verdict(now=1).rollback is False


def test_legacy_5xx_do_not_count_against_the_new_side() -> None:
    analysis = fed(new_ok=100)
    for _ in range(100):
        analysis.observe_request("legacy", 500, 0.01, 0)
    assert analysis.verdict(now=1).rollback is False


def test_too_few_requests_are_not_judged_however_bad() -> None:
    assert fed(new_5xx=19).verdict(now=1).rollback is False
    assert fed(new_5xx=20).verdict(now=1).trigger == "5xx_rate"


def test_errors_older_than_the_window_are_forgotten() -> None:
    analysis = fed(new_5xx=50, at=0)
    for _ in range(50):
        analysis.observe_request("new", 200, 0.01, 61)
    assert analysis.verdict(now=61).rollback is False


def latency_fed(new_seconds: float, legacy_seconds: float, count: int = 100) -> RollbackAnalysis:
    analysis = RollbackAnalysis(THRESHOLDS)
    for _ in range(count):
        analysis.observe_request("legacy", 200, legacy_seconds, 0)
        analysis.observe_request("new", 200, new_seconds, 0)
    return analysis


def test_a_slow_new_side_rolls_back_on_the_p99_ratio() -> None:
    verdict = latency_fed(new_seconds=0.3, legacy_seconds=0.1).verdict(now=1)
    assert (verdict.rollback, verdict.trigger) == (True, "p99_ratio")
    assert "p99 latency new/legacy 3.00 > 2" in verdict.reason


def test_a_new_side_within_the_ratio_stays() -> None:
    assert latency_fed(new_seconds=0.15, legacy_seconds=0.1).verdict(now=1).rollback is False


def test_the_p99_ratio_needs_enough_samples_on_both_sides() -> None:
    analysis = RollbackAnalysis(THRESHOLDS)
    for _ in range(100):
        analysis.observe_request("new", 200, 1.0, 0)
    for _ in range(19):
        analysis.observe_request("legacy", 200, 0.01, 0)
    assert analysis.verdict(now=1).rollback is False


def test_the_p99_is_the_tail_not_the_average() -> None:
    analysis = RollbackAnalysis(THRESHOLDS)
    for n in range(100):
        analysis.observe_request("legacy", 200, 0.1, 0)
        analysis.observe_request("new", 200, 1.0 if n >= 98 else 0.05, 0)  # 2 % very slow
    assert analysis.verdict(now=1).trigger == "p99_ratio"


def test_shadow_differences_over_the_rate_roll_back() -> None:
    analysis = RollbackAnalysis(THRESHOLDS)
    for n in range(100):
        analysis.observe_shadow(differed=n < 10, at=0)
    verdict = analysis.verdict(now=1)
    assert (verdict.rollback, verdict.trigger) == (True, "diff_rate")
    assert "shadow diff rate 10.0% > 5.0% over 100 comparisons" in verdict.reason


def test_too_few_shadow_comparisons_are_not_judged() -> None:
    analysis = RollbackAnalysis(THRESHOLDS)
    for _ in range(19):
        analysis.observe_shadow(differed=True, at=0)
    assert analysis.verdict(now=1).rollback is False


def test_a_threshold_set_to_none_is_not_judged() -> None:
    analysis = RollbackAnalysis(THRESHOLDS.model_copy(update={"max_5xx_rate": None}))
    for _ in range(100):
        analysis.observe_request("new", 500, 0.01, 0)
    assert analysis.verdict(now=1).rollback is False
