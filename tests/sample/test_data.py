"""The committed sample set: every row imports, references resolve, the generator reproduces it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import factorlink.sample
from factorlink.achievement.columns import SPEC as ACHIEVEMENT
from factorlink.achievement.models import Achievement
from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.capital.columns import SPEC as CAPITAL
from factorlink.carrier.columns import SPEC as CARRIER
from factorlink.db.session import Database
from factorlink.demand.columns import SPEC as DEMAND
from factorlink.expert.columns import SPEC as EXPERT
from factorlink.imports.kinds import ImportKind
from factorlink.introduction.models import Introduction
from factorlink.kit.table import TableSpec
from factorlink.organization.columns import SPEC as ORGANIZATION
from factorlink.reference import get_industries, get_region
from factorlink.sample.loader import LISTING_FILES, load_sample
from factorlink.validation import parse_credit_code, parse_mobile

DATA = Path(factorlink.sample.__file__).with_name("data")
ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "scripts" / "make_sample.py"

SPECS: dict[str, TableSpec] = {
    "organizations": ORGANIZATION,
    "achievements": ACHIEVEMENT,
    "demands": DEMAND,
    "capital": CAPITAL,
    "carriers": CARRIER,
    "experts": EXPERT,
}
MINIMUMS = {
    "organizations": 70,
    "achievements": 220,
    "demands": 120,
    "capital": 35,
    "carriers": 35,
    "experts": 25,
    "leads": 30,
    "introductions": 50,
}
CODE_PATTERNS = {
    "achievements": r"G60-ACH-2026-\d{4}",
    "demands": r"G60-DEM-2026-\d{4}",
    "capital": r"G60-CAP-2026-\d{4}",
    "carriers": r"G60-CAR-2026-\d{4}",
    "experts": r"G60-EXP-2026-\d{4}",
}
LEAD_KEYS = {
    "need",
    "purpose",
    "annual_tax_wan",
    "company",
    "contact_name",
    "contact_mobile",
    "lead_type",
    "preferred_cities",
    "industry",
    "consent",
    "created_at",
}
PIPELINE = ("proposed", "contacted", "negotiating", "signed")
FICTIONAL_MOBILE = re.compile(r"^13[89]0000\d{4}$")
ADMIN = Viewer(user_id=0, role=Role.admin)
SAMPLE_FILES: dict[ImportKind, str] = {
    k: v.removesuffix(".jsonl") for k, v in LISTING_FILES.items()
}


def rows(name: str) -> list[dict[str, Any]]:
    """The objects of one .jsonl file, one a line."""
    lines = (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    out = [json.loads(line) for line in lines]
    assert all(isinstance(row, dict) for row in out), f"{name}: every line must be an object"
    return out


def parsed(name: str) -> list[dict[str, Any]]:
    """The rows of a listing file, parsed by the kind's TableSpec as an import would."""
    spec = SPECS[name]
    out = []
    for number, row in enumerate(rows(name), start=1):
        headers = list(row)
        found, unknown = spec.match_headers(headers)
        assert not unknown, f"{name} line {number}: unknown headers {unknown}"
        cells = {column.key: row[headers[index]] for index, column in found.items()}
        result = spec.parse(cells)
        assert result.ok, f"{name} line {number}: {result.errors}"
        out.append(result.values)
    return out


def moment(text: str) -> datetime:
    """An ISO UTC time as the files write it ("2026-03-02T02:10:00Z")."""
    assert text.endswith("Z"), text
    return datetime.fromisoformat(text.removesuffix("Z")).replace(tzinfo=UTC)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_listing_row_imports(name: str) -> None:
    assert len(parsed(name)) == len(rows(name))


@pytest.mark.parametrize("name", sorted(MINIMUMS))
def test_counts_meet_the_minimums(name: str) -> None:
    assert len(rows(name)) >= MINIMUMS[name]


@pytest.mark.parametrize("name", sorted(CODE_PATTERNS))
def test_codes_are_unique_and_well_formed(name: str) -> None:
    codes = [row["编号"] for row in rows(name)]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(CODE_PATTERNS[name], code) for code in codes)


def test_organisations_have_unique_names_and_valid_credit_codes() -> None:
    organizations = rows("organizations")
    names = [row["机构名称"] for row in organizations]
    codes = [parse_credit_code(row["统一社会信用代码"]) for row in organizations]
    assert len(set(names)) == len(names)
    assert len(set(codes)) == len(codes)
    kinds = Counter(row["机构类型"] for row in organizations)
    assert set(kinds) == {"企业", "高校", "科研院所", "投资机构", "园区", "服务机构"}
    assert kinds["企业"] > len(organizations) / 2


def test_enterprises_report_their_tax() -> None:
    for row in rows("organizations"):
        has_tax = row["年纳税额(万元)"] != ""
        assert has_tax == (row["机构类型"] == "企业"), row["机构名称"]


def test_owners_and_affiliations_are_sample_organisations() -> None:
    kinds = {row["机构名称"]: row["机构类型"] for row in rows("organizations")}
    for row in rows("achievements"):
        assert kinds.get(row["所属机构"]) in ("高校", "科研院所", "企业"), row["编号"]
    for row in rows("demands"):
        assert kinds.get(row["需求单位"]) == "企业", row["编号"]
    for row in rows("experts"):
        assert kinds.get(row["所属机构"]) in ("高校", "科研院所"), row["编号"]
    for row in rows("capital"):
        assert kinds.get(row["所属机构"]) == "投资机构", row["编号"]


@pytest.mark.parametrize("name", ["achievements", "demands"])
def test_all_cities_and_industries_appear(name: str) -> None:
    values = parsed(name)
    assert {v["city"] for v in values} == {c.code for c in get_region().cities}
    assert {v["industry"] for v in values} == {i.code for i in get_industries().industries}
    assert all(v["subfield"] for v in values)


def test_achievement_texts_are_substantial_and_varied() -> None:
    achievements = rows("achievements")
    for row in achievements:
        assert 150 <= len(row["成果简介"]) <= 400, row["编号"]
        assert 3 <= len(row["关键词"].split("、")) <= 6, row["编号"]
    assert len({row["成果简介"] for row in achievements}) == len(achievements)
    assert len({row["成果名称"] for row in achievements}) == len(achievements)
    negotiable = sum(row["参考价格(万元)"] == "面议" for row in achievements)
    assert 0.15 <= negotiable / len(achievements) <= 0.35


def test_demand_texts_budgets_and_deadlines() -> None:
    demands = rows("demands")
    for row in demands:
        assert 80 <= len(row["需求描述"]) <= 300, row["编号"]
    assert len({row["需求描述"] for row in demands}) == len(demands)
    for values in parsed("demands"):
        assert values["deadline"].year == 2027
        if not values["budget_negotiable"]:
            assert values["budget_min_wan"] <= values["budget_max_wan"]


def test_land_and_factories_carry_regional_thresholds() -> None:
    for values in parsed("carriers"):
        tax = values.get("tax_threshold_wan_per_mu")
        invest = values.get("investment_threshold_wan_per_mu")
        if values["kind"] == "land":
            assert tax is not None and invest is not None
        if tax is not None:
            assert 30 <= tax <= 80
        if invest is not None:
            assert 300 <= invest <= 600
        if values["kind"] in ("office", "incubator"):
            assert tax is None and invest is None


def test_every_mobile_number_is_in_the_fictional_ranges() -> None:
    mobiles = [row["手机号"] for name in SPECS for row in rows(name)]
    mobiles += [row["contact_mobile"] for row in rows("leads")]
    assert all(FICTIONAL_MOBILE.match(parse_mobile(m)) for m in mobiles)


def test_leads_have_the_api_shape_and_consent() -> None:
    region, catalog = get_region(), get_industries()
    leads = rows("leads")
    for row in leads:
        assert set(row) == LEAD_KEYS
        assert row["consent"] is True
        assert row["lead_type"] in ("technology", "space", "capital")
        assert parse_mobile(row["contact_mobile"]) == row["contact_mobile"]
        assert row["preferred_cities"] and all(region.resolve(c) for c in row["preferred_cities"])
        assert catalog.resolve(row["industry"]) is not None
        assert row["need"] and row["purpose"] and row["company"] and row["contact_name"]
        assert row["annual_tax_wan"] >= 0
        assert datetime(2026, 1, 1, tzinfo=UTC) <= moment(row["created_at"])
        assert moment(row["created_at"]) < datetime(2026, 12, 1, tzinfo=UTC)
    times = [moment(row["created_at"]) for row in leads]
    assert times == sorted(times)
    assert set(Counter(row["lead_type"] for row in leads)) == {"technology", "space", "capital"}


def _known_parties() -> dict[str, set[Any]]:
    known: dict[str, set[Any]] = {
        kind: {row["编号"] for row in rows(name)}
        for kind, name in (
            ("achievement", "achievements"),
            ("demand", "demands"),
            ("capital", "capital"),
            ("carrier", "carriers"),
            ("expert", "experts"),
        )
    }
    known["organization"] = {
        ORGANIZATION.derive_code({"name": row["机构名称"]}) for row in rows("organizations")
    }
    known["lead"] = set(range(len(rows("leads"))))
    return known


def _party_key(party: dict[str, Any]) -> Any:
    if party["kind"] == "organization":
        # The import derives an organisation's code from its name; the name is there to read.
        assert party["code"] == ORGANIZATION.derive_code({"name": party["name"]})
    return party["index"] if party["kind"] == "lead" else party["code"]


def _check_steps(intro: dict[str, Any]) -> str:
    """Checks the order of an introduction's steps; returns its final state."""
    state, at = "proposed", moment(intro["at"])
    for step in intro["steps"]:
        assert state not in ("signed", "closed"), f"step after {state}: {intro}"
        target = step["to"]
        assert target == "closed" or PIPELINE.index(target) == PIPELINE.index(state) + 1, intro
        assert moment(step["at"]) > at, f"time goes back: {intro}"
        if target == "signed":
            assert 30 <= step["amount_wan"] <= 3000
        if target == "closed":
            assert step["reason"]
        state, at = target, moment(step["at"])
    assert at <= datetime(2026, 11, 30, 23, 59, tzinfo=UTC)
    return state


def test_introductions_reference_existing_parties_and_move_forward() -> None:
    known = _known_parties()
    leads = rows("leads")
    intros = rows("introductions")
    finals: Counter[str] = Counter()
    for intro in intros:
        assert set(intro) == {"a", "b", "at", "steps"}
        for party in (intro["a"], intro["b"]):
            assert _party_key(party) in known[party["kind"]], party
        assert intro["a"] != intro["b"]
        assert moment(intro["at"]) >= datetime(2025, 12, 1, tzinfo=UTC)
        if intro["a"]["kind"] == "lead":
            created = moment(leads[intro["a"]["index"]]["created_at"])
            assert moment(intro["at"]) > created
        finals[_check_steps(intro)] += 1
    assert set(finals) == {"proposed", "contacted", "negotiating", "signed", "closed"}
    assert 0.30 <= finals["signed"] / len(intros) <= 0.40


def _bigrams(row: dict[str, Any], *headers: str) -> set[str]:
    text = "".join(str(row[h]) for h in headers)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _overlap(x: set[str], y: set[str]) -> float:
    return len(x & y) / len(x | y)


def test_introduced_demands_and_achievements_are_about_the_same_thing() -> None:
    # The paired achievement is among the closest of all 224 to the demand's text, although
    # lab and enterprise write with different words.
    achievements = {r["编号"]: r for r in rows("achievements")}
    demands = {r["编号"]: r for r in rows("demands")}
    texts = {
        code: _bigrams(row, "成果名称", "成果简介", "关键词") for code, row in achievements.items()
    }
    checked = 0
    for intro in rows("introductions"):
        parties = {intro["a"]["kind"]: intro["a"], intro["b"]["kind"]: intro["b"]}
        if set(parties) != {"demand", "achievement"}:
            continue
        demand = demands[parties["demand"]["code"]]
        achievement = achievements[parties["achievement"]["code"]]
        assert achievement["所属机构"] != demand["需求单位"]
        wanted = _bigrams(demand, "需求名称", "需求描述", "关键词")
        score = _overlap(texts[achievement["编号"]], wanted)
        better = sum(_overlap(text, wanted) > score for text in texts.values())
        assert better < 25, (demand["需求名称"], achievement["成果名称"], better)
        checked += 1
    assert checked >= 20


def test_introductions_cover_every_kind_of_pair() -> None:
    pairs = Counter((i["a"]["kind"], i["b"]["kind"]) for i in rows("introductions"))
    expected = [
        ("demand", "achievement"),
        ("achievement", "demand"),
        ("organization", "capital"),
        ("lead", "carrier"),
        ("lead", "achievement"),
        ("lead", "capital"),
        ("demand", "expert"),
    ]
    assert all(pairs[kinds] >= 1 for kinds in expected), pairs


def test_the_set_loads_through_the_sample_loader(database: Database) -> None:
    with database.unit_of_work() as session:
        reports, activity = load_sample(session, ADMIN, DATA)
    for kind, report in reports.items():
        assert report.created == len(rows(SAMPLE_FILES[kind])), kind
    assert activity.leads_added == len(rows("leads"))
    assert activity.introductions_added == len(rows("introductions"))
    with database.unit_of_work() as session:
        loaded = session.scalars(select(Introduction)).all()
        proposed = sorted(i.proposed_at for i in loaded)
        assert proposed == sorted(moment(r["at"]) for r in rows("introductions"))
        finals = Counter(i.status.value for i in loaded)
        assert finals == Counter(_check_steps(r) for r in rows("introductions"))
        signed = sum(i.amount_wan or 0 for i in loaded)
        written = [s for r in rows("introductions") for s in r["steps"] if s["to"] == "signed"]
        assert signed == sum(s["amount_wan"] for s in written)
        sources = session.scalars(select(Achievement.source).distinct()).all()
        assert sources == ["sample"]


def test_readme_counts_match_the_files() -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name in MINIMUMS:
        match = re.search(rf"\| `{name}\.jsonl` \| (\d+) \|", readme)
        assert match, f"README has no row for {name}.jsonl"
        assert int(match.group(1)) == len(rows(name)), name


@pytest.mark.parametrize("hash_seed", ["0", "4242"])
def test_generator_reproduces_the_committed_files(tmp_path: Path, hash_seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted(p.name for p in DATA.glob("*.jsonl"))
    assert written == committed
    for name in written:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
