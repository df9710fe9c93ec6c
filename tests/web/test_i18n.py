"""Every Chinese text the pages show has its English."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from factorlink.introduction.vocab import STATUS_LABELS
from factorlink.lead.intake import STATUS_LABELS as LEAD_STATUS_LABELS
from factorlink.lead.intake import TYPE_LABELS
from factorlink.web import catalog, i18n
from factorlink.web.english import install
from factorlink.web.render import TEMPLATES

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
