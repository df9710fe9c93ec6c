"""A participant's agenda as an iCalendar file (RFC 5545, via the icalendar library): one VEVENT
per meeting, times in Asia/Shanghai with its VTIMEZONE, a stable UID per meeting so a calendar
that imports the file again updates the meetings instead of doubling them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar

from factorlink.event.models import Event, EventParticipant
from factorlink.event.service import AgendaItem
from factorlink.event.vocab import STATUS_LABELS, label

SHANGHAI = ZoneInfo("Asia/Shanghai")
PRODID = "-//FactorLink//Events//ZH"


def agenda_ics(
    event: Event,
    items: Sequence[AgendaItem],
    me: EventParticipant,
    *,
    request_host: str = "factorlink",
    now: datetime | None = None,
) -> bytes:
    """The agenda of one participant at one event as .ics bytes (UTF-8, CRLF lines)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{event.title} · 我的会面")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    where = event.venue or event.online_url or ""
    for item in items:
        other = item.counterpart
        vevent = icalendar.Event()
        vevent.add("uid", f"event-{event.id}-meeting-{item.request.id}@{request_host}")
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", item.slot.starts_at.astimezone(SHANGHAI))
        vevent.add("dtend", item.slot.ends_at.astimezone(SHANGHAI))
        vevent.add("summary", f"会面:{other.organization_name}({other.contact_name})")
        table = f"{item.table.number}号桌"
        vevent.add("location", f"{where} · {table}" if where else table)
        lines = [
            f"{event.title}",
            f"桌号:{item.table.number}",
            f"对方:{other.organization_name} {other.contact_name}"
            + (f" {other.position}" if other.position else ""),
            f"状态:{label(STATUS_LABELS, item.request.status.value)}",
        ]
        if item.request.message:
            lines.append(f"约见留言:{item.request.message}")
        vevent.add("description", "\n".join(lines))
        vevent.add("status", "CONFIRMED")
        if event.online_url:
            vevent.add("url", event.online_url)
        cal.add_component(vevent)
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data
