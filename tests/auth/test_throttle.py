"""The failed-login throttle, driven by an explicit clock."""

from __future__ import annotations

from factorlink.auth.throttle import LoginThrottle, Reason, Wait

A, B = "203.0.113.7", "198.51.100.23"


def test_fifth_failure_locks_that_client_out_of_that_account_only() -> None:
    throttle = LoginThrottle(pair_failures=5, window_seconds=900)
    for second in range(0, 50, 10):
        assert throttle.retry_after(A, "zhang", second) is None
        throttle.record_failure(A, "zhang", second)
    assert throttle.retry_after(A, "zhang", 50) == Wait(850, Reason.account)
    assert throttle.retry_after(A, "ZHANG ", 50) == Wait(850, Reason.account)  # case, spaces
    assert throttle.retry_after(A, "li", 50) is None
    assert throttle.retry_after(B, "zhang", 50) is None  # the owner elsewhere is not locked out
    assert throttle.retry_after(A, "zhang", 899) == Wait(1, Reason.account)
    assert throttle.retry_after(A, "zhang", 900) is None  # the failure at 0 has expired


def test_success_resets_that_client_on_that_account() -> None:
    throttle = LoginThrottle(pair_failures=3, window_seconds=60)
    throttle.record_failure(A, "wang", 0)
    throttle.record_failure(A, "wang", 1)
    throttle.record_success(A, "wang")
    throttle.record_failure(A, "wang", 2)
    throttle.record_failure(A, "wang", 3)
    assert throttle.retry_after(A, "wang", 4) is None


def test_spraying_one_password_over_many_usernames_is_caught_per_client() -> None:
    throttle = LoginThrottle(client_failures=20, window_seconds=900)
    refused = []
    for i in range(40):
        wait = throttle.retry_after(A, f"user{i}", i)
        if wait is None:
            throttle.record_failure(A, f"user{i}", i)
        else:
            refused.append(wait)
    assert len(refused) == 20
    assert {w.reason for w in refused} == {Reason.client}
    assert refused[0].seconds == 900 - 20  # until the first failure leaves the window
    assert throttle.retry_after(B, "user39", 40) is None  # another client is unaffected


def test_a_success_of_its_own_does_not_clear_a_sprayers_count() -> None:
    throttle = LoginThrottle(client_failures=3, window_seconds=60)
    for i in range(3):
        throttle.record_failure(A, f"user{i}", i)
    throttle.record_success(A, "mine")
    assert throttle.retry_after(A, "user9", 4) == Wait(56, Reason.client)


def test_an_account_under_attack_delays_failed_clients_and_never_locks_the_others() -> None:
    throttle = LoginThrottle(account_alert=10, attack_delay_seconds=30, window_seconds=900)
    # Ten addresses guess once each: the account is now on alert.
    attackers = [f"10.0.0.{i}" for i in range(10)]
    for second, address in enumerate(attackers):
        throttle.record_failure(address, "li.hz", second)
    # A client that has not failed walks in as usual; the owner is never locked out.
    assert throttle.retry_after(B, "li.hz", 10) is None
    # A client that failed waits 30 s after its failure, doubling with each further one.
    assert throttle.retry_after(attackers[9], "li.hz", 10) == Wait(29, Reason.attack)
    assert throttle.retry_after(attackers[9], "li.hz", 39) is None
    throttle.record_failure(attackers[9], "li.hz", 39)
    assert throttle.retry_after(attackers[9], "li.hz", 40) == Wait(59, Reason.attack)
    assert throttle.retry_after(attackers[9], "li.hz", 99) is None
    # Another account is not on alert: its failed clients may retry at once.
    throttle.record_failure(attackers[0], "zhou", 100)
    assert throttle.retry_after(attackers[0], "zhou", 100) is None


def test_below_the_alert_failed_clients_may_retry_at_once() -> None:
    throttle = LoginThrottle(account_alert=10, pair_failures=5)
    for second in range(4):
        throttle.record_failure(A, "qian", second)
    assert throttle.retry_after(A, "qian", 4) is None


def test_stores_stay_bounded_under_many_usernames_and_addresses() -> None:
    throttle = LoginThrottle(pair_failures=2, window_seconds=60, max_tracked=100)
    for i in range(1000):
        throttle.record_failure(f"10.1.{i // 256}.{i % 256}", f"guess{i}", i / 100)
        throttle.retry_after(f"10.2.0.{i % 256}", f"unknown{i}", i / 100)
    assert throttle.tracked() <= 300
