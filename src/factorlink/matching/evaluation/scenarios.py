"""Judged corridor scenarios: leads as operators receive them, matched against a pool of listings.

A scenario directory holds `pool/` (import files with FactorLink's Chinese headers, named after
their kind: organizations, carriers, capital, achievements, demands, experts), `leads/*.jsonl` (one
lead a line, as the corridor's form has it: id, type, need, purpose, tax, company, contact, mobile,
city, and where given industry and prefer) and `qrels/*.tsv` (lead_id, target_kind, listing_code,
grade 1–3). The evaluation runs end to end in a temporary database: the pool is imported as
`factorlink import` would, each lead is added as `factorlink lead add` would, and matched against
its target kind by the product's own ranking. Vectors come from the configured vector store, so a
second run encodes nothing. A bad file is refused with its name, line and what is wrong.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factorlink.auth.viewer import SYSTEM
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.errors import InvalidInput
from factorlink.imports.kinds import ImportKind
from factorlink.imports.readers import read_table
from factorlink.imports.service import ImportService
from factorlink.introduction.models import PartyKind
from factorlink.lead.service import LeadService
from factorlink.matching.evaluation.files import bad_line, jsonl_rows
from factorlink.matching.evaluation.metrics import ndcg
from factorlink.matching.live.indexes import registry_of
from factorlink.matching.retrieval.engine import Method
from factorlink.matching.service import Candidate, candidates_for

# Pool files by name, in loading order: the other kinds name organisations.
POOL_FILES: dict[str, ImportKind] = {
    "organizations": ImportKind.organization,
    "carriers": ImportKind.carrier,
    "capital": ImportKind.capital,
    "achievements": ImportKind.achievement,
    "demands": ImportKind.demand,
    "experts": ImportKind.expert,
}
POOL_SUFFIXES = (".csv", ".xlsx", ".json", ".jsonl")
LEAD_TYPES = ("space", "capital", "technology")
TARGET_KINDS = ("carrier", "capital", "achievement", "expert", "organization", "demand")
# The lead form's fields, by the names the scenario files give them.
LEAD_FIELDS = {
    "need": "need",
    "type": "lead_type",
    "purpose": "purpose",
    "tax": "annual_tax_wan",
    "company": "company",
    "contact": "contact_name",
    "mobile": "contact_mobile",
    "city": "city",
    "industry": "industry",
    "prefer": "preferred_cities",
}
NDCG_AT = 5
HIT_AT = 3
# Candidates kept per lead: enough for any blend to reorder the top five.
DEPTH = 100


@dataclass(frozen=True)
class ScenarioLead:
    """One judged lead: its id, type, form cells, target kind and graded counterparts."""

    id: str
    type: str
    cells: Mapping[str, Any]
    target: str
    grades: Mapping[str, int]


@dataclass(frozen=True)
class Scenarios:
    """A scenario directory read into memory."""

    name: str
    pool: tuple[tuple[ImportKind, Path], ...]
    leads: tuple[ScenarioLead, ...]


def is_scenario_dir(folder: Path) -> bool:
    """A directory with pool/, leads/ and qrels/ (rather than a BEIR corpus)."""
    return all((folder / part).is_dir() for part in ("pool", "leads", "qrels"))


def _pool(folder: Path) -> tuple[tuple[ImportKind, Path], ...]:
    found: list[tuple[ImportKind, Path]] = []
    for stem, kind in POOL_FILES.items():
        for suffix in POOL_SUFFIXES:
            path = folder / "pool" / f"{stem}{suffix}"
            if path.is_file():
                found.append((kind, path))
    if not found:
        names = "、".join(f"{s}.csv" for s in POOL_FILES)
        raise InvalidInput(
            f"{folder}/pool 下没有可导入的文件(应为 {names} 等)",
            message_en=f"no pool files under {folder}/pool (expected {names}, …)",
        )
    return tuple(found)


def _qrels(folder: Path) -> dict[str, tuple[str, dict[str, int]]]:
    files = sorted((folder / "qrels").glob("*.tsv"))
    if not files:
        raise InvalidInput(
            f"{folder}/qrels 下没有 .tsv 文件", message_en=f"no qrels/*.tsv under {folder}"
        )
    judged: dict[str, tuple[str, dict[str, int]]] = {}
    for path in files:
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            cells = [c.strip() for c in line.split("\t")]
            if not line.strip() or (line_no == 1 and cells[0] == "lead_id"):
                continue
            if len(cells) != 4 or not cells[3].isdigit():
                raise bad_line(
                    path,
                    line_no,
                    "应为 lead_id、target_kind、listing_code、整数等级 四列,以制表符分隔",
                    "expected lead_id, target_kind, listing_code, integer grade (tab-separated)",
                )
            lead_id, target, code, grade = cells
            if target not in TARGET_KINDS:
                listed = ", ".join(TARGET_KINDS)
                raise bad_line(
                    path, line_no, f"未知的目标类型 {target}", f"target_kind must be {listed}"
                )
            known, grades = judged.setdefault(lead_id, (target, {}))
            if known != target:
                raise bad_line(
                    path,
                    line_no,
                    f"线索 {lead_id} 的目标类型前后不一致({known} / {target})",
                    f"lead {lead_id} has two target kinds ({known} / {target})",
                )
            grades[code] = int(grade)
    return judged


def _leads(folder: Path, judged: Mapping[str, tuple[str, dict[str, int]]]) -> list[ScenarioLead]:
    leads: list[ScenarioLead] = []
    files = sorted((folder / "leads").glob("*.jsonl"))
    if not files:
        raise InvalidInput(
            f"{folder}/leads 下没有 .jsonl 文件", message_en=f"no leads/*.jsonl under {folder}"
        )
    for path in files:
        for line_no, row in jsonl_rows(path, "id"):
            if row.get("type") not in LEAD_TYPES:
                listed = ", ".join(LEAD_TYPES)
                raise bad_line(path, line_no, f"type 应为 {listed} 之一", f"type must be {listed}")
            if row["id"] not in judged:
                continue  # a lead nobody judged measures nothing
            target, grades = judged[row["id"]]
            cells = {LEAD_FIELDS[k]: v for k, v in row.items() if k in LEAD_FIELDS}
            cells["consent"] = True
            leads.append(ScenarioLead(row["id"], row["type"], cells, target, grades))
    if not leads:
        raise InvalidInput(
            f"{folder} 中没有一条线索有评判", message_en=f"no lead under {folder} is judged"
        )
    return leads


def load_scenarios(folder: Path) -> Scenarios:
    """Reads pool/, leads/ and qrels/ of a scenario directory, strictly."""
    judged = _qrels(folder)
    return Scenarios(folder.name, _pool(folder), tuple(_leads(folder, judged)))


def _scratch_search(settings: Settings, folder: Path) -> dict[str, str]:
    """With Milvus, the temporary database gets its own Lite file (or, on a server, its own
    collections), kept in step before every search."""
    if not settings.uses_milvus:
        return {}
    url = str(folder / "search.db") if settings.search_url.endswith(".db") else settings.search_url
    prefix = f"{settings.search_collection_prefix}_eval"
    return {"search_url": url, "search_collection_prefix": prefix, "search_sync": "inline"}


def collect(
    scenarios: Scenarios,
    settings: Settings,
    depth: int = DEPTH,
    method: Method = Method.hybrid,
    progress: Callable[[int], None] | None = None,
) -> dict[str, list[Candidate]]:
    """Every lead's candidates with their evidence, from a fresh temporary database.

    The pool is imported and each lead added through the product's own services; vectors come
    from the configured vector store (a second run encodes nothing).
    """
    with tempfile.TemporaryDirectory(prefix="factorlink-eval-") as tmp:
        scratch = settings.model_copy(
            update={
                "data_dir": Path(tmp),
                "database_url": None,
                "matching_vector_store": settings.vector_store_path,
                **_scratch_search(settings, Path(tmp)),
            }
        )
        database = Database(scratch)
        try:
            return _collect(database, scenarios, depth, method, progress)
        finally:
            database.dispose()


def _collect(
    database: Database,
    scenarios: Scenarios,
    depth: int,
    method: Method,
    progress: Callable[[int], None] | None,
) -> dict[str, list[Candidate]]:
    found: dict[str, list[Candidate]] = {}
    with database.unit_of_work() as session:  # the temporary database's one commit
        importer = ImportService(session, SYSTEM)
        for kind, path in scenarios.pool:
            importer.run(kind, read_table(path.name, path.read_bytes()), source="eval")
        leads = LeadService(session, SYSTEM)
        stored = [(lead, leads.submit(lead.cells, source="eval").id) for lead in scenarios.leads]
    with database.unit_of_work() as session:
        registry_of(session).inline_encoding = True
        for lead, lead_id in stored:
            row = LeadService(session, SYSTEM).get(lead_id)
            target = PartyKind(lead.target)
            found[lead.id] = candidates_for(
                session, SYSTEM, PartyKind.lead, row, target, depth, method
            )
            if progress is not None:
                progress(1)
    return found


def hit(ranked: Sequence[str], grades: Mapping[str, int], k: int = HIT_AT) -> float:
    """1 when a grade-3 counterpart is among the first k (0 when the lead has none)."""
    best = max(grades.values(), default=0)
    return 1.0 if any(grades.get(code, 0) == best for code in ranked[:k]) else 0.0


def summarise(
    runs: Mapping[str, Sequence[str]], leads: Iterable[ScenarioLead]
) -> dict[str, dict[str, float]]:
    """nDCG@5 and hit@3 per lead type and over all leads (each lead weighs the same)."""
    per: dict[str, list[tuple[float, float]]] = {}
    for lead in leads:
        if lead.id not in runs:
            continue
        ranked = runs[lead.id]
        figures = (ndcg(ranked, lead.grades, NDCG_AT), hit(ranked, lead.grades))
        per.setdefault(lead.type, []).append(figures)
        per.setdefault("all", []).append(figures)
    out: dict[str, dict[str, float]] = {}
    for group in (*LEAD_TYPES, "all"):
        rows = per.get(group, [])
        if rows:
            out[group] = {
                f"ndcg@{NDCG_AT}": _mean(r[0] for r in rows),
                f"hit@{HIT_AT}": _mean(r[1] for r in rows),
                "leads": float(len(rows)),
            }
    return out


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return math.fsum(items) / len(items) if items else 0.0


def rank_all(
    found: Mapping[str, Sequence[Candidate]], score: Callable[[Candidate], float | None]
) -> dict[str, list[str]]:
    """Each lead's listing codes, best first, by a scoring of candidates (None filters out)."""
    runs: dict[str, list[str]] = {}
    for lead_id, candidates in found.items():
        scored = [(s, c.code) for c in candidates if (s := score(c)) is not None]
        scored.sort(key=lambda row: -row[0])
        runs[lead_id] = [code for _, code in scored]
    return runs
