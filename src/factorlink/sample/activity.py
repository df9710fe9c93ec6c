"""Sample activity: leads and introductions with their history, from JSON Lines files.

data_dir/leads.jsonl holds lead messages in the API's body shape, each with an optional
"created_at" (ISO time; without a zone it is read as UTC). data_dir/introductions.jsonl holds
{"a": PARTY, "b": PARTY, "at": TIME?, "note": TEXT?, "steps": [{"to": STATUS, "at": TIME,
"amount_wan": N?, "reason": TEXT?}]}, where PARTY is {"kind": K, "code": C}, {"kind": K,
"id": N}, or {"kind": "lead", "index": N} (the 0-based line of leads.jsonl). "at" defaults to
the first step's time. Loading goes through the services, so every rule applies; it is
idempotent: a lead with the same need, company and creation time, or an introduction of the
same pair, is not added again. A bad line stops the load with its file and line named.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from factorlink.auth.viewer import Viewer
from factorlink.errors import FactorLinkError, InvalidInput
from factorlink.introduction.models import IntroductionStatus, PartyKind
from factorlink.introduction.repository import IntroductionRepository, PartyRef, PartyRepository
from factorlink.introduction.service import IntroductionService
from factorlink.lead.models import Lead
from factorlink.lead.repository import LeadRepository
from factorlink.lead.service import LeadService
from factorlink.validation.parsers import clean, normalize

LEADS_FILE = "leads.jsonl"
INTRODUCTIONS_FILE = "introductions.jsonl"


@dataclass
class ActivityReport:
    """What a load added and what it found already there."""

    leads_added: int = 0
    leads_existing: int = 0
    introductions_added: int = 0
    introductions_existing: int = 0


class _LineError(Exception):
    """A problem with one line, before it is tied to its file and line number."""

    def __init__(self, reason: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason, self.reason_en = reason, reason_en


def load_activity(session: Session, viewer: Viewer, data_dir: Path) -> ActivityReport:
    """Loads the sample leads and introductions found in data_dir (absent files are skipped)."""
    report = ActivityReport()
    leads = _load_leads(session, viewer, data_dir / LEADS_FILE, report)
    _load_introductions(session, viewer, data_dir / INTRODUCTIONS_FILE, leads, report)
    return report


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8-sig") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise _at(path, number, "JSON 格式错误", f"malformed JSON ({exc.msg})") from None
            if not isinstance(value, dict):
                raise _at(path, number, "每行应为一个 JSON 对象", "each line must be a JSON object")
            yield number, value


def _at(path: Path, line: int, reason: str, reason_en: str) -> InvalidInput:
    return InvalidInput(
        f"{path.name} 第{line}行:{reason}",
        message_en=f"{path.name} line {line}: {reason_en}",
        errors=[{"file": path.name, "row": line, "reason": reason, "reason_en": reason_en}],
    )


def _located(exc: FactorLinkError, path: Path, line: int) -> FactorLinkError:
    errors = [{"file": path.name, "row": line, **e} for e in exc.errors]
    return type(exc)(
        f"{path.name} 第{line}行:{exc.message}",
        message_en=f"{path.name} line {line}: {exc.message_en or exc.message}",
        errors=errors or [{"file": path.name, "row": line, "reason": exc.message}],
    )


def parse_time(value: object) -> datetime | None:
    """An ISO time, read as UTC when it has no zone; None when absent."""
    if value is None or value == "":
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise _LineError(f"时间“{value}”无效,应为ISO格式", f"invalid time {value!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _load_leads(session: Session, viewer: Viewer, path: Path, report: ActivityReport) -> list[Lead]:
    leads: list[Lead] = []
    service, repository = LeadService(session, viewer), LeadRepository(session)
    for line, cells in _lines(path):
        try:
            created_at = parse_time(cells.pop("created_at", None))
            lead = None
            # Stored as typed; a database loaded before text was kept so holds it folded.
            for read in (clean, normalize):
                company = read(cells.get("company")) or None
                lead = lead or repository.find_same(read(cells.get("need")), company, created_at)
            if lead is not None:
                report.leads_existing += 1
            else:
                lead = service.submit(cells, source="sample", created_at=created_at)
                report.leads_added += 1
        except _LineError as exc:
            raise _at(path, line, exc.reason, exc.reason_en) from None
        except FactorLinkError as exc:
            raise _located(exc, path, line) from None
        leads.append(lead)
    return leads


def _load_introductions(
    session: Session, viewer: Viewer, path: Path, leads: list[Lead], report: ActivityReport
) -> None:
    service = IntroductionService(session, viewer)
    for line, record in _lines(path):
        try:
            if _load_introduction(session, service, record, leads):
                report.introductions_added += 1
            else:
                report.introductions_existing += 1
        except _LineError as exc:
            raise _at(path, line, exc.reason, exc.reason_en) from None
        except FactorLinkError as exc:
            raise _located(exc, path, line) from None


def _load_introduction(
    session: Session, service: IntroductionService, record: Mapping[str, Any], leads: list[Lead]
) -> bool:
    a = _party(session, record.get("a"), leads, "a")
    b = _party(session, record.get("b"), leads, "b")
    if IntroductionRepository(session).between(a, b, open_only=False) is not None:
        return False
    steps = record.get("steps") or []
    if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
        raise _LineError("steps 应为对象列表", "steps must be a list of objects")
    at = parse_time(record.get("at")) or (parse_time(steps[0].get("at")) if steps else None)
    intro = service.create(a, b, record.get("note"), at=at)
    for step in steps:
        service.transition(
            intro.id,
            _status(step.get("to")),
            amount_wan=step.get("amount_wan"),
            reason=step.get("reason"),
            note=step.get("note"),
            at=parse_time(step.get("at")),
        )
    return True


def _status(value: object) -> IntroductionStatus:
    try:
        return IntroductionStatus(str(value))
    except ValueError:
        allowed = ", ".join(s.value for s in IntroductionStatus)
        raise _LineError(
            f"步骤状态“{value}”无效,可选:{allowed}", f"invalid step {value!r}; one of {allowed}"
        ) from None


def _party(session: Session, value: object, leads: list[Lead], side: str) -> PartyRef:
    if not isinstance(value, dict):
        raise _LineError(f"缺少对接方{side}", f"party {side!r} is missing")
    try:
        kind = PartyKind(str(value.get("kind")))
    except ValueError:
        raise _LineError(
            f"对接方{side}的类型“{value.get('kind')}”无效", f"party {side!r}: invalid kind"
        ) from None
    if kind == PartyKind.lead and "index" in value:
        index = value["index"]
        if not isinstance(index, int) or not 0 <= index < len(leads):
            raise _LineError(
                f"对接方{side}引用的线索序号{index}不存在", f"party {side!r}: no lead at {index!r}"
            )
        return kind, leads[index].id
    if "code" in value:
        obj = PartyRepository(session).by_code(kind, str(value["code"]))
        if obj is None:
            raise _LineError(
                f"对接方{side}:编号“{value['code']}”不存在",
                f"party {side!r}: no {kind.value} with code {value['code']!r}",
            )
        return kind, int(obj.id)
    if isinstance(value.get("id"), int):
        return kind, int(value["id"])
    raise _LineError(
        f"对接方{side}须给出 code、id 或(线索)index",
        f"party {side!r} needs a code, an id or an index",
    )
