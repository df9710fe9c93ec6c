"""Every Chinese text the pages show has its English."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from factorlink.auth.models import Role
from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.introduction.service import IntroductionService
from factorlink.introduction.vocab import STATUS_LABELS
from factorlink.lead.intake import STATUS_LABELS as LEAD_STATUS_LABELS
from factorlink.lead.intake import TYPE_LABELS
from factorlink.web import catalog, i18n
from factorlink.web.english import install
from factorlink.web.render import TEMPLATES
from tests.introduction.builders import ADMIN, add_listing
from tests.web.conftest import LoginAs, LogInMember, MakeWebUser, csrf_token

CALLS = (re.compile(r'_\(\s*"([^"]+)"\s*\)'), re.compile(r"_\(\s*'([^']+)'\s*\)"))
# Labels listed in templates as ("value", "中文") pairs and shown through _(label).
PAIRS = re.compile(r'\("[^"]*", "([^"]*[\u4e00-\u9fff][^"]*)"\)')


# The shared layout and the areas of web/pages; a domain that adds its own folder of
# templates (auction/, …) registers and checks its own English.
AREAS = ("", "listings", "forms", "workspace", "members", "leads")


def _template_texts() -> set[str]:
    texts: set[str] = set()
    for path in (p for area in AREAS for p in (TEMPLATES / area).glob("*.html")):
        source = path.read_text(encoding="utf-8")
        for pattern in (*CALLS, PAIRS):
            texts |= set(pattern.findall(source))
    return texts


def _labels() -> set[str]:
    labels = {k.label for k in catalog.KINDS.values()}
    labels |= {k.price_label for k in catalog.KINDS.values() if k.price_label}
    labels |= {text for _, text in catalog.SORT_OPTIONS}
    labels |= set(STATUS_LABELS.values()) | set(LEAD_STATUS_LABELS.values())
    labels |= set(TYPE_LABELS.values())
    return labels


def test_every_text_has_its_english() -> None:
    install()
    missing = sorted(t for t in _template_texts() | _labels() if i18n.translate(t, "en") == t)
    assert missing == []


def test_english_pages(client: TestClient) -> None:
    client.get("/lang/en")
    page = client.get("/achievements")
    assert "Achievements" in page.text and "Readiness" in page.text and "Newest" in page.text
    assert "科技成果" not in page.text.split("<main")[0], "the navigation is in English"


def test_values_in_english_mode(client: TestClient, database: Database) -> None:
    # Issue 14: English mode showed the values in Chinese ("Kind: 厂房", "Industry: 新材料").
    carrier = add_listing(
        database, "carrier", crane="有", divisible="否", price="1.2元/㎡/天", ceiling_height_m="9米"
    )
    client.get("/lang/en")
    page = client.get(f"/carriers/{carrier}").text
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page))
    assert facts["Kind"] == "Factory"
    assert facts["City"] == "Songjiang (Shanghai)"
    assert facts["Industries welcomed"] == "High-end equipment, New materials"
    assert (facts["Crane"], facts["Divisible"]) == ("Yes", "No")
    assert facts["Price"] == "1.2 CNY/㎡/day" and facts["Ceiling height"] == "9 m"
    # What a user typed is no vocabulary: the name stays as written.
    assert facts["Name"] == "松江综保区标准厂房3号楼"
    client.get("/lang/zh")
    chinese = dict(
        re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", client.get(f"/carriers/{carrier}").text)
    )
    assert chinese["类型"] == "厂房" and chinese["行车"] == "有"


def test_a_value_is_translated_only_where_every_term_is_known() -> None:
    install()
    assert i18n.translate_value("转让、合作开发", "en") == "Transfer, Co-development"
    assert i18n.translate_value("湖州吴兴区", "en") == "Huzhou 吴兴区"
    assert i18n.translate_value("湖州苕溪理工学院", "en") == "湖州苕溪理工学院"
    assert i18n.translate_value("转让、石墨烯膜", "en") == "转让、石墨烯膜"
    assert i18n.translate_value("2026-03-01至2027-12-31", "en") == "2026-03-01 to 2027-12-31"
    assert i18n.translate_value("转让", "zh") == "转让"


HAN = re.compile(r"[\u4e00-\u9fff]")


def test_the_lead_page_my_pages_and_the_workspace_in_english(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
    log_in_member: LogInMember,
) -> None:
    # Issue 14: English mode left cities, industries and reasons in Chinese ("Industry:Both").
    client.get("/lang/en")
    token = csrf_token(client.get("/leads/new").text)
    sent = client.post(
        "/leads/new",
        data={
            "lead_type": "space",
            "need": "需要5000平方米左右的标准厂房",
            "industry": "汽车零部件",
            "preferred_cities": "嘉兴、湖州",
            "contact_name": "孙总",
            "contact_mobile": "13600004444",
            "consent": "yes",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    status = client.get(sent.headers["location"]).text
    facts = dict(re.findall(r"<dt>([^<]*)</dt><dd>(.*?)</dd>", status))
    assert facts["Preferred cities"] == "Jiaxing, Huzhou"
    assert facts["Industry"] == "汽车零部件 (New-energy and connected vehicles)"
    assert facts["Sent at"].endswith(" Beijing time")
    assert "。" not in status.split('role="status"')[1].split("</div>")[0]

    log_in_member(client, "嘉兴示例新能源有限公司", username="m1")
    demand = add_listing(database, "demand")
    achievement = add_listing(database, "achievement")  # 示例大学's, in 杭州
    client.get("/lang/en")
    with database.unit_of_work() as session:
        IntroductionService(session, ADMIN).create(
            (PartyKind.demand, demand), (PartyKind.achievement, achievement)
        )
    listings = client.get("/my/listings").text.split("<main")[1]
    assert "<li>Jiaxing</li>" in listings and "嘉兴" not in listings
    intros = client.get("/my/introductions").text.split("<main")[1]
    assert "Hangzhou" in intros and "杭州" not in intros
    reasons = client.get(f"/demands/{demand}").text.split('id="matches"')[1]
    assert ": " in reasons and not re.search(r"[A-Za-z]:[A-Z]", reasons)

    operator = TestClient(client.app)
    login_as(operator, make_web_user("ops", Role.operator))
    operator.get("/lang/en")
    board = operator.get("/workspace/introductions").text.split("<main")[1]
    assert "Jiaxing → Hangzhou" in board
    lead = operator.get("/workspace/leads").text.split("<main")[1]
    assert "→ Jiaxing, Huzhou" in lead
    for page in (board, lead):
        # What is left in Chinese is what people typed: names, titles, needs.
        left = {t for t in re.findall(r">([^<>]*)<", page) if HAN.search(t)}
        assert not left & {"嘉兴", "杭州", "湖州", "新能源汽车", "新材料"}, left
