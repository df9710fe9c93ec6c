"""Which page reads count as views: not a robot's, not a reload by the same browser."""

from __future__ import annotations

from factorlink.engagement.rules import SEEN_MAX, is_robot, read, seen_keys, view_key

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


def test_a_first_read_counts_and_a_reload_does_not() -> None:
    counts, cookie = read(None, BROWSER, view_key("carrier", 12))
    assert counts and cookie == "ca12"
    again, cookie = read(cookie, BROWSER, "ca12")
    assert not again and cookie == "ca12"
    other, cookie = read(cookie, BROWSER, view_key("achievement", 3))
    assert other and cookie == "ca12.ac3"


def test_robots_and_scripts_do_not_count() -> None:
    for agent in ("Baiduspider/2.0", "Googlebot/2.1", "curl/8.0", "python-httpx/0.27", "", None):
        assert is_robot(agent)
        assert not read(None, agent, "ca1")[0]
    assert not is_robot(BROWSER)


def test_the_cookie_keeps_the_latest_keys_and_drops_garbage() -> None:
    cookie = ".".join(f"ca{n}" for n in range(SEEN_MAX + 5)) + ".<script>"
    keys = seen_keys(cookie)
    assert len(keys) == SEEN_MAX and keys[-1] == f"ca{SEEN_MAX + 4}"
    _, value = read(cookie, BROWSER, "ca1")
    assert len(value.split(".")) == SEEN_MAX and value.endswith(".ca1")
