"""Benchmark of the input and login checks added for issue 13 (items 8, 9, 13): what each costs
per call, beside an Argon2 verification (the cost a login pays anyway).

- the password policy on an accepted passphrase and on a refused common password;
- `normalize` of a ~110-character cell (bidi and zero-width characters dropped with controls);
- `Region.resolve` of a simplified name, of a traditional one (the OpenCC t2s retry) and of an
  unknown one (the retry changes nothing);
- the login throttle under a flood: --attempts failed logins from --addresses addresses on 5,000
  usernames within one window (check, then count), with the keys it holds at the end.

Prints one table. A measurement, not a test.

    .venv/bin/python scripts/bench_input.py [--attempts 100000] [--addresses 62500]
"""

from __future__ import annotations

import argparse
import timeit
from collections.abc import Callable

from factorlink.auth.passwords import check_policy, hash_password, verify_password
from factorlink.auth.throttle import LoginThrottle
from factorlink.errors import InvalidInput
from factorlink.reference import get_region
from factorlink.validation.parsers import normalize


def _per_call(work: Callable[[], object], number: int) -> float:
    return timeit.timeit(work, number=number) / number * 1e6


def _refused(password: str) -> None:
    try:
        check_policy(password, username="zhao.ops")
    except InvalidInput:
        return
    raise AssertionError("expected a refusal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--addresses", type=int, default=62_500)
    args = parser.parse_args()

    region = get_region()
    region.resolve("嘉興")  # load OpenCC once, outside the timing
    cell = "采用化学气相沉积与热压复合\u200b工艺,\u202e面内导热系数≥1500 W/(m·K),已完成中试。" * 2
    argon = hash_password("松江-G60-correct-horse")
    rows: list[tuple[str, float]] = [
        ("Argon2 verification (yardstick)", _per_call(lambda: verify_password(argon, "x"), 20)),
        (
            "check_policy, accepted passphrase",
            _per_call(lambda: check_policy("松江-G60-correct-horse", username="zhao.ops"), 2000),
        ),
        ("check_policy, refused Password2024!", _per_call(lambda: _refused("Password2024!"), 2000)),
        (f"normalize, {len(cell)}-character cell", _per_call(lambda: normalize(cell), 100_000)),
        ("resolve 嘉兴 (simplified)", _per_call(lambda: region.resolve("嘉兴"), 20_000)),
        (
            "resolve 上海市松江區 (t2s retry)",
            _per_call(lambda: region.resolve("上海市松江區"), 20_000),
        ),
        (
            "resolve 北京 (unknown, retry in vain)",
            _per_call(lambda: region.resolve("北京"), 20_000),
        ),
    ]

    throttle = LoginThrottle()
    window = throttle.window_seconds
    counter = iter(range(args.attempts))

    def attempt() -> None:
        k = next(counter)
        address = f"10.{k % args.addresses // 250 % 256}.{k % 250}.1"
        username, now = f"user{k % 5000}", k * window / args.attempts
        if throttle.retry_after(address, username, now) is None:
            throttle.record_failure(address, username, now)

    rows.append(
        (
            f"throttle, {args.attempts:,} failures from {args.addresses:,} addresses",
            _per_call(attempt, args.attempts),
        )
    )
    print(f"{'what':<48} {'µs per call':>12}")
    for what, micros in rows:
        print(f"{what:<48} {micros:>12.1f}")
    print(
        f"throttle keys held at the end: {throttle.tracked():,}",
        f"(bound 3 x {throttle.max_tracked:,})",
    )


if __name__ == "__main__":
    main()
