"""The failed-login throttle, driven by an explicit clock."""

from __future__ import annotations

from factorlink.auth.throttle import LoginThrottle


def test_fifth_failure_locks_until_the_oldest_leaves_the_window() -> None:
    throttle = LoginThrottle(max_failures=5, window_seconds=900)
    for second in range(0, 50, 10):
        assert throttle.retry_after("zhang", second) is None
        throttle.record_failure("zhang", second)
    assert throttle.retry_after("zhang", 50) == 850
    assert throttle.retry_after("ZHANG ", 50) == 850  # case and spaces do not dodge it
    assert throttle.retry_after("li", 50) is None
    assert throttle.retry_after("zhang", 899) == 1
    assert throttle.retry_after("zhang", 900) is None  # the failure at 0 has expired


def test_success_resets_the_count() -> None:
    throttle = LoginThrottle(max_failures=3, window_seconds=60)
    throttle.record_failure("wang", 0)
    throttle.record_failure("wang", 1)
    throttle.reset("wang")
    throttle.record_failure("wang", 2)
    throttle.record_failure("wang", 3)
    assert throttle.retry_after("wang", 4) is None


def test_store_stays_bounded_under_many_usernames() -> None:
    throttle = LoginThrottle(max_failures=2, window_seconds=60, max_tracked=100)
    for i in range(1000):
        throttle.record_failure(f"guess{i}", i / 100)
        throttle.retry_after(f"unknown{i}", i / 100)
    assert len(throttle._failures) <= 100
