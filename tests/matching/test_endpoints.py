"""The matches endpoint in every direction, through HTTP: the expected counterpart first, its
reasons given, contacts masked as the listing endpoints mask them, leads for staff only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from factorlink.db.session import Database
from factorlink.matching.endpoints import TARGET_ALIASES, Target
from factorlink.organization.service import OrganizationService
from tests.factories import Actor, MakeActor
from tests.introduction.builders import ADMIN, EXAMPLES, add_lead, add_listing

ENTERPRISE = "嘉兴示例新能源有限公司"
UNIVERSITY = "示例大学"
BATTERY = {
    "title": "电池包液冷板轻量化散热技术",
    "abstract": "铝合金液冷板拓扑优化,电池包减重25%,散热均温性提升。",
    "keywords": "电池包、液冷板、轻量化、散热",
    "industry": "新能源汽车",
    "organization": UNIVERSITY,
    "city": "杭州",
    "trl": "中试",
}


def _university(database: Database) -> int:
    """A university (add_listing's own `kind` argument hides the organisation's kind cell)."""
    cells = {**EXAMPLES["organization"], "name": UNIVERSITY, "kind": "高校", "city": "杭州"}
    with database.unit_of_work() as session:
        return int(OrganizationService(session, ADMIN).create(cells).id)


@dataclass(frozen=True)
class World:
    """Every kind of factor, each with one counterpart meant for it and decoys."""

    ids: dict[str, int]


@pytest.fixture
def world(database: Database) -> World:
    ids = {
        "enterprise": add_listing(
            database, "organization", name=ENTERPRISE, city="嘉兴", industry="新能源汽车"
        ),
        "other_enterprise": add_listing(
            database, "organization", name="松江示例机器人有限公司", industry="高端装备"
        ),
        "university": _university(database),
    }
    ids["demand"] = add_listing(
        database, "demand", keywords="电池包、散热、轻量化", organization=ENTERPRISE
    )
    ids["other_demand"] = add_listing(
        database,
        "demand",
        title="工业机器人视觉检测系统",
        description="产线零件外观缺陷识别。",
        keywords="机器视觉、缺陷检测",
        industry="高端装备",
        organization="松江示例机器人有限公司",
        city="松江",
    )
    ids["achievement"] = add_listing(database, "achievement", **BATTERY)
    ids["own_achievement"] = add_listing(
        database,
        "achievement",
        **{
            **BATTERY,
            "title": "电池包轻量化散热自研方案",
            "organization": ENTERPRISE,
            "city": "嘉兴",
        },
    )
    ids["other_achievement"] = add_listing(
        database,
        "achievement",
        title="钙钛矿叠层光伏组件",
        abstract="提升光电转换效率。",
        keywords="钙钛矿、光伏",
        industry="新能源",
        organization=UNIVERSITY,
    )
    ids["expert"] = add_listing(
        database,
        "expert",
        name="周海峰",
        affiliation="示例大学汽车学院",
        fields="新能源汽车、电池热管理、轻量化",
        services="电池包散热设计咨询",
        city="松江",
    )
    ids["other_expert"] = add_listing(
        database, "expert", name="吴敏", fields="集成电路设计", services="芯片验证", city="合肥"
    )
    ids["capital"] = add_listing(
        database,
        "capital",
        name="新能源汽车产业链基金",
        stages="A轮、B轮",
        industries="新能源汽车",
        ticket="1000-5000",
        cities="嘉兴、杭州",
    )
    ids["other_capital"] = add_listing(database, "capital")
    ids["carrier"] = add_listing(
        database,
        "carrier",
        name="嘉兴新能源汽车零部件产业园标准厂房",
        city="嘉兴",
        area="8000㎡",
        industries="新能源汽车",
    )
    ids["other_carrier"] = add_listing(database, "carrier")
    ids["lead"] = add_lead(
        database, need="寻找电池包轻量化散热技术,用于新能源汽车", industry="新能源汽车"
    )
    ids["space_lead"] = add_lead(
        database,
        need="求购新能源汽车零部件厂房,约6000平方米",
        lead_type="载体",
        industry="新能源汽车",
        preferred_cities="嘉兴",
    )
    return World(ids)


# (collection, source, target, the counterpart expected first)
DIRECTIONS = [
    ("demands", "demand", "achievement", "achievement"),
    ("demands", "demand", "expert", "expert"),
    ("achievements", "achievement", "demand", "demand"),
    ("achievements", "achievement", "organization", "enterprise"),
    ("achievements", "achievement", "capital", "capital"),
    ("organizations", "enterprise", "capital", "capital"),
    ("organizations", "enterprise", "carrier", "carrier"),
    ("leads", "lead", "capital", "capital"),
    ("leads", "space_lead", "carrier", "carrier"),
    ("leads", "lead", "achievement", "achievement"),
    ("leads", "lead", "expert", "expert"),
    ("carriers", "carrier", "organization", "enterprise"),
    ("carriers", "carrier", "lead", "space_lead"),
]
COLLECTION = {
    "achievement": "achievements",
    "demand": "demands",
    "expert": "experts",
    "capital": "capital",
    "carrier": "carriers",
    "organization": "organizations",
}


def matches(
    client: TestClient,
    world: World,
    collection: str,
    source: str,
    actor: Actor | None = None,
    **params: Any,
) -> Any:
    """GET the matches of one of the world's factors."""
    headers = actor.headers if actor is not None else {}
    url = f"/api/v1/{collection}/{world.ids[source]}/matches"
    return client.get(url, params=params, headers=headers)


@pytest.mark.parametrize(("collection", "source", "target", "expected"), DIRECTIONS)
def test_every_direction_puts_the_expected_counterpart_first_and_explains_it(
    client: TestClient,
    world: World,
    make_actor: MakeActor,
    collection: str,
    source: str,
    target: str,
    expected: str,
) -> None:
    response = matches(client, world, collection, source, make_actor("admin"), target=target)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["source_id"], body["target"], body["method"]) == (
        world.ids[source],
        target,
        "hybrid",
    )
    items = body["items"]
    assert items and {m["kind"] for m in items} == {target}
    best = items[0]
    assert best["id"] == world.ids[expected]
    assert best["terms"], "a counterpart found by its words names them"
    assert any(c["met"] is True for c in best["criteria"])
    for criterion in best["criteria"]:
        assert criterion["met"] in (True, False, None)
        assert criterion["label"] and criterion["detail"] and criterion["detail_en"]
    scores = [m["score"] for m in items]
    assert scores == sorted(scores, reverse=True)
    for m in items:
        assert 0 <= m["score"] <= 1 and 0 <= m["relevance"] <= 1 and 0 <= m["lexical"] <= 1
        assert m["fit"] is None or 0 <= m["fit"] <= 1


def test_a_counterpart_in_a_related_industry_says_so(
    client: TestClient, world: World, make_actor: MakeActor
) -> None:
    items = matches(
        client, world, "demands", "demand", make_actor("admin"), target="achievement"
    ).json()["items"]
    assert [m["id"] for m in items] == [world.ids["achievement"], world.ids["other_achievement"]]
    decoy = items[1]
    assert decoy["terms"] == [] and decoy["score"] < items[0]["score"]
    # 新能源 beside 新能源汽车: related, so it counts half, and the reason says which.
    industry = next(c for c in decoy["criteria"] if c["key"] == "industry")
    assert industry["met"] is True and industry["score"] == 0.5
    assert "行业相近" in industry["detail"] and "Related" in industry["detail_en"]


def test_a_hard_criterion_missed_removes_the_candidate(
    client: TestClient, world: World, make_actor: MakeActor
) -> None:
    admin = make_actor("admin")
    # The other fund invests in AI and chips only; the university is not an enterprise.
    capital = matches(client, world, "achievements", "achievement", admin, target="capital")
    assert [m["id"] for m in capital.json()["items"]] == [world.ids["capital"]]
    orgs = matches(client, world, "achievements", "achievement", admin, target="organization")
    assert world.ids["university"] not in [m["id"] for m in orgs.json()["items"]]


def test_an_enterprise_s_own_factors_are_not_its_counterparts(
    client: TestClient, world: World, make_actor: MakeActor
) -> None:
    admin = make_actor("admin")
    # Its own achievement is as close to its demand as can be, and still left out...
    by_lead = matches(client, world, "leads", "lead", admin, target="achievement").json()
    assert world.ids["own_achievement"] in [m["id"] for m in by_lead["items"]]
    for_demand = matches(client, world, "demands", "demand", admin, target="achievement").json()
    assert world.ids["own_achievement"] not in [m["id"] for m in for_demand["items"]]
    # ...and its achievement does not find the enterprise itself.
    own = matches(client, world, "achievements", "own_achievement", admin, target="organization")
    assert world.ids["enterprise"] not in [m["id"] for m in own.json()["items"]]


VIEWED = [
    ("demands", "demand", "achievement"),
    ("demands", "demand", "expert"),
    ("achievements", "achievement", "capital"),
    ("achievements", "achievement", "organization"),
    ("organizations", "enterprise", "carrier"),
]


@pytest.mark.parametrize("role", ["anonymous", "member", "admin"])
def test_contacts_are_shown_as_the_listing_endpoints_show_them(
    client: TestClient, world: World, make_actor: MakeActor, role: str
) -> None:
    actor = None
    if role != "anonymous":
        org = world.ids["other_enterprise"] if role == "member" else None
        actor = make_actor(role, organization_id=org)
    headers = actor.headers if actor is not None else {}
    seen = 0
    for collection, source, target in VIEWED:
        response = matches(client, world, collection, source, actor, target=target)
        for m in response.json()["items"]:
            listing = client.get(f"/api/v1/{COLLECTION[target]}/{m['id']}", headers=headers)
            assert listing.status_code == 200, listing.text
            shown = listing.json()
            assert (m["contact_name"], m["contact_mobile"], m["contact_masked"]) == (
                shown["contact_name"],
                shown["contact_mobile"],
                shown["contact_masked"],
            )
            assert m["contact_masked"] is (role != "admin")
            if role != "admin":
                assert "13812345678" not in response.text and "李晓明" not in response.text
            seen += 1
    assert seen >= len(VIEWED)


@pytest.mark.parametrize(
    ("collection", "source", "target"),
    [("leads", "lead", "capital"), ("carriers", "carrier", "lead")],
    ids=["lead as source", "lead as target"],
)
def test_leads_are_for_staff(
    client: TestClient,
    world: World,
    make_actor: MakeActor,
    collection: str,
    source: str,
    target: str,
) -> None:
    anonymous = matches(client, world, collection, source, target=target)
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.headers["content-type"].startswith("application/problem+json")
    member = make_actor("member", organization_id=world.ids["enterprise"])
    assert matches(client, world, collection, source, member, target=target).status_code == 403
    operator = make_actor("operator")
    allowed = matches(client, world, collection, source, operator, target=target)
    assert allowed.status_code == 200 and allowed.json()["items"]


def test_an_unknown_target_is_a_problem_naming_target(client: TestClient, world: World) -> None:
    response = matches(client, world, "demands", "demand", target="spaceship")
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in problem["errors"]] == ["target"]
    assert "achievement" in problem["errors"][0]["reason_en"]


def test_a_wrong_direction_is_refused(client: TestClient, world: World) -> None:
    response = matches(client, world, "demands", "demand", target="capital")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["target"]
    expert = matches(client, world, "experts", "expert", target="expert")
    assert expert.status_code == 422


def test_an_unknown_id_is_not_found(client: TestClient) -> None:
    response = client.get("/api/v1/demands/99999/matches", params={"target": "achievement"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    # Matching against leads is refused before anything is looked up.
    leads = client.get("/api/v1/carriers/99999/matches", params={"target": "lead"})
    assert leads.status_code == 401


@pytest.mark.parametrize(("limit", "status"), [(0, 422), (51, 422), (-1, 422), (50, 200)])
def test_limit_bounds(client: TestClient, world: World, limit: int, status: int) -> None:
    response = matches(client, world, "demands", "demand", target="achievement", limit=limit)
    assert response.status_code == status


def test_limit_cuts_the_list(client: TestClient, world: World) -> None:
    full = matches(client, world, "demands", "demand", target="achievement").json()["items"]
    one = matches(client, world, "demands", "demand", target="achievement", limit=1).json()
    assert len(full) == 2 and [m["id"] for m in one["items"]] == [full[0]["id"]]


@pytest.mark.parametrize("spelled", ["achievements", "Achievement", " achievement "])
def test_the_target_may_be_named_by_its_collection(
    client: TestClient, world: World, spelled: str
) -> None:
    plain = matches(client, world, "demands", "demand", target="achievement").json()
    other = matches(client, world, "demands", "demand", target=spelled)
    assert other.status_code == 200, other.text
    assert other.json() == plain


def test_the_method_can_be_chosen(client: TestClient, world: World) -> None:
    body = matches(client, world, "demands", "demand", target="achievement", method="bm25").json()
    assert body["method"] == "bm25"
    assert body["items"][0]["id"] == world.ids["achievement"]
    assert all(m["semantic"] is None for m in body["items"])
    bad = matches(client, world, "demands", "demand", target="achievement", method="magic")
    assert bad.status_code == 422


def test_a_listing_posted_changed_and_deleted_over_http_moves_the_matches_at_once(
    client: TestClient, world: World, make_actor: MakeActor
) -> None:
    operator = make_actor("operator")

    def items() -> dict[int, Any]:
        response = matches(client, world, "demands", "demand", target="achievement")
        return {m["id"]: m for m in response.json()["items"]}

    def found() -> list[int]:
        return list(items())

    before = found()
    cells = {**EXAMPLES["achievement"], **BATTERY, "title": "电池包轻量化散热液冷板总成"}
    posted = client.post("/api/v1/achievements", json=cells, headers=operator.headers)
    assert posted.status_code == 201, posted.text
    new_id = posted.json()["id"]
    assert new_id in found() and new_id not in before

    changed = client.patch(
        f"/api/v1/achievements/{new_id}",
        json={"title": "钙钛矿光伏玻璃", "abstract": "透光率提升。", "keywords": "光伏玻璃"},
        headers=operator.headers,
    )
    assert changed.status_code == 200, changed.text
    # Its new text shares no word with the demand: only the industry still speaks for it.
    now = items()
    assert new_id not in now or not {"散热", "轻量化"} & set(now[new_id]["terms"])
    assert next(iter(now)) == world.ids["achievement"]

    gone = client.delete(f"/api/v1/achievements/{new_id}", headers=operator.headers)
    assert gone.status_code == 204
    assert found() == before


def test_an_operator_matches_only_the_leads_of_their_cities(
    client: TestClient, world: World, make_actor: MakeActor
) -> None:
    # The space lead prefers 嘉兴; an operator of 合肥 neither sees it matched nor matches it.
    elsewhere = make_actor("operator", city_scope=["hefei"])
    found = matches(client, world, "carriers", "carrier", elsewhere, target="lead")
    assert found.status_code == 200
    assert world.ids["space_lead"] not in [m["id"] for m in found.json()["items"]]
    as_source = matches(client, world, "leads", "space_lead", elsewhere, target="carrier")
    assert as_source.status_code == 403
    local = make_actor("operator", city_scope=["jiaxing"])
    found = matches(client, world, "carriers", "carrier", local, target="lead")
    assert world.ids["space_lead"] in [m["id"] for m in found.json()["items"]]


def test_the_target_enum_names_every_spelling_the_endpoint_knows() -> None:
    assert {t.value for t in Target} == set(TARGET_ALIASES)


def test_the_openapi_document_lists_the_targets(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    operation = document["paths"]["/api/v1/{collection}/{factor_id}/matches"]["get"]
    [target] = [p for p in operation["parameters"] if p["name"] == "target"]
    name = target["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(document["components"]["schemas"][name]["enum"]) == set(TARGET_ALIASES)
