"""Every Chinese text the pages show has its English."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from factorlink.db.session import Database
from factorlink.introduction.vocab import STATUS_LABELS
from factorlink.lead.intake import STATUS_LABELS as LEAD_STATUS_LABELS
from factorlink.lead.intake import TYPE_LABELS
from factorlink.web import catalog, i18n
from factorlink.web.english import install
from factorlink.web.render import TEMPLATES
from tests.introduction.builders import add_listing

CALLS = (re.compile(r'_\(\s*"([^"]+)"\s*\)'), re.compile(r"_\(\s*'([^']+)'\s*\)"))
# Labels listed in templates as ("value", "中文") pairs and shown through _(label).
PAIRS = re.compile(r'\("[^"]*", "([^"]*[\u4e00-\u9fff][^"]*)"\)')


# The shared layout and the areas of web/pages; a domain that adds its own folder of
# templates (auction/, …) registers and checks its own English.
AREAS = ("", "listings", "forms", "workspace")


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
