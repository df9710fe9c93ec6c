"""A visitor's lead: sent as the corridor's message reads, a receipt page behind a private link,
refused and expired forms that keep what was typed, withdrawal and erasure by the link."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factorlink.api.app import create_app
from factorlink.auth.models import Role
from factorlink.auth.tokens import digest
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.lead.models import Lead, LeadLink
from factorlink.web.english import install
from factorlink.web.i18n import translate
from factorlink.web.render import TEMPLATES
from tests.introduction.builders import add_listing
from tests.web.conftest import LoginAs, MakeWebUser, csrf_token
from tests.web.test_i18n import CALLS, PAIRS

# The corridor's message answered as a visitor writes it: 需求、用途、税收、公司、联系人、手机号.
MESSAGE = {
    "lead_type": "space",
    "need": "需要5000平方米左右的标准厂房,层高8米以上,有意向请直接打13600004444",
    "purpose": "新材料产线扩产",
    "annual_tax_wan": "500万元/年",
    "company": "松江示例新材料有限公司",
    "contact_name": "孙总",
    "contact_mobile": "13600004444",
    "preferred_cities": "松江",
    "consent": "yes",
}
LINK = re.compile(r"^/leads/status/([A-Za-z0-9_-]{32})\?sent=1$")
REFERENCE = re.compile(r"G60-\d{8}-[2-9A-HJKMNP-Z]{4}")


def _send(client: TestClient, **changes: Any) -> Any:
    token = csrf_token(client.get("/leads/new").text)
    data = {k: v for k, v in {**MESSAGE, **changes, "csrf_token": token}.items() if v is not None}
    return client.post("/leads/new", data=data, follow_redirects=False)


def _leads(database: Database) -> list[Lead]:
    with database.unit_of_work() as session:
        return list(session.scalars(select(Lead)).all())


def test_the_message_as_typed_is_accepted_and_the_browser_goes_on_to_its_page(
    client: TestClient, database: Database
) -> None:
    add_listing(database, "carrier")
    posted = _send(client)
    assert posted.status_code == 303, posted.text
    found = LINK.match(posted.headers["location"])
    assert found, posted.headers["location"]
    token = found.group(1)
    assert "13600004444" not in token and "4444" not in token
    page = client.get(posted.headers["location"])
    assert page.status_code == 200
    html = page.text
    assert "需求已提交" in html
    assert REFERENCE.search(html)
    assert "上海市松江区科学技术委员会将在2个工作日内与您电话联系" in html
    # Every field sent is echoed: 用途, 税收 as typed, 公司; the contact and the mobile typed in
    # the need are masked (a link can be forwarded).
    for text in ("新材料产线扩产", "500万元/年", "松江示例新材料有限公司", "孙**", "136****4444"):
        assert text in html, text
    assert "13600004444" not in html
    assert f"/leads/status/{token}" in html
    assert page.headers["referrer-policy"] == "no-referrer"
    (lead,) = _leads(database)
    assert (lead.annual_tax_wan, lead.annual_tax_text) == (500.0, "500万元/年")
    assert lead.reference and REFERENCE.fullmatch(lead.reference) and lead.reference in html
    assert lead.source == "web"
    with database.unit_of_work() as session:
        (link,) = session.scalars(select(LeadLink)).all()
        assert link.token_hash == digest(token) and link.lead_id == lead.id
    # A reload reads the page again; nothing is posted twice.
    assert client.get(posted.headers["location"]).status_code == 200
    assert len(_leads(database)) == 1


def test_a_copy_sent_again_is_merged_into_the_first(client: TestClient, database: Database) -> None:
    first = _send(client)
    again = _send(client, need=" " + MESSAGE["need"].replace(",", ","), purpose="扩产二期")
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] != again.headers["location"], "each copy has its own link"
    (lead,) = _leads(database)
    assert lead.purpose == "扩产二期", "the later answers correct the earlier ones"
    other = _send(client, need="另需一处200平方米的研发办公室")
    assert other.status_code == 303
    assert len(_leads(database)) == 2
    assert lead.reference is not None
    for response in (first, again):
        assert lead.reference in client.get(response.headers["location"]).text


@pytest.fixture
def limited(settings: Settings, database: Database) -> Iterator[TestClient]:
    """A client of an app that takes one lead per client."""
    app = create_app(settings.model_copy(update={"lead_rate_limit": 1}), database)
    with TestClient(app) as client:
        yield client


def test_refused_forms_keep_what_was_typed_and_do_not_count(
    limited: TestClient, database: Database
) -> None:
    for _ in range(4):  # four typos
        refused = _send(limited, contact_mobile="1360000444", consent=None, lead_type=None)
        assert refused.status_code == 422
        html = refused.text
        for key in ("contact_mobile", "consent", "lead_type"):
            assert f'id="err-{key}"' in html, key
        assert 'value="500万元/年"' in html and "新材料产线扩产" in html
        assert 'value="1360000444"' in html
        # The summary names the fields as the form labels them; no internal text.
        summary = html.split('role="alert"')[1].split("</strong>")[0]
        assert "需求类型" in summary and "个人信息同意" in summary
        assert "(consent 须为 true)" not in html
    assert _send(limited).status_code == 303, "the typos did not use up the limit"
    over = _send(limited, need="另需一处研发办公室")
    assert over.status_code == 429
    assert "秒后再试" in over.text and "另需一处研发办公室" in over.text
    assert 'value="500万元/年"' in over.text
    assert int(over.headers["retry-after"]) > 0
    assert len(_leads(database)) == 1


def test_summary_names_are_the_visible_labels(client: TestClient) -> None:
    html = _send(client, lead_type=None, consent=None, annual_tax_wan="很多").text
    summary = html.split('role="alert"')[1].split("</strong>")[0]
    named = re.sub(r"<[^>]+>", "", summary).split(":", 1)[1].split("、")
    labels = set(re.findall(r"<legend>([^<*]+?)\s*<", html))
    labels |= set(re.findall(r'<label for="f-[a-z_]+">([^<]+?)\s*<', html))
    assert named and set(named) <= labels, (named, labels)
    assert "税收" in named


def test_an_expired_form_comes_back_with_what_was_typed_and_a_fresh_token(
    client: TestClient, database: Database
) -> None:
    client.get("/leads/new")
    stale = {**MESSAGE, "csrf_token": "0" * 64}
    expired = client.post("/leads/new", data=stale, follow_redirects=False)
    assert expired.status_code == 403
    assert "页面已过期" in expired.text
    assert "新材料产线扩产" in expired.text and 'value="500万元/年"' in expired.text
    assert 'name="consent" value="yes" checked' in expired.text
    assert _leads(database) == []
    fresh = {**MESSAGE, "csrf_token": csrf_token(expired.text)}
    assert client.post("/leads/new", data=fresh, follow_redirects=False).status_code == 303


def test_the_sender_withdraws_consent_by_the_link(client: TestClient, database: Database) -> None:
    location = _send(client).headers["location"]
    path = location.split("?")[0]
    page = TestClient(client.app)  # another browser, holding only the link
    shown = page.get(path).text
    assert REFERENCE.search(shown) and "需求已提交" not in shown
    token = csrf_token(shown)
    withdrawn = page.post(f"{path}/withdraw", data={"csrf_token": token}, follow_redirects=False)
    assert withdrawn.status_code == 303
    after = page.get(withdrawn.headers["location"]).text
    assert "您已撤回同意,个人信息已删除。" in after and "孙**" not in after
    state = re.search(r'<dd id="lead-state">(.*?)</dd>', after, re.S)
    assert state and "已撤回同意" in state.group(1) and "新线索" not in state.group(1)
    (lead,) = _leads(database)
    assert lead.consent is False and lead.consent_withdrawn_at is not None
    assert (lead.contact_name, lead.contact_mobile, lead.company) == (None, None, None)
    assert 'action="' + path + '/withdraw"' not in after


def test_the_sender_erases_personal_data_only(client: TestClient, database: Database) -> None:
    path = _send(client).headers["location"].split("?")[0]
    token = csrf_token(client.get(path).text)
    erased = client.post(f"{path}/erase", data={"csrf_token": token}, follow_redirects=False)
    assert erased.status_code == 303
    after = client.get(erased.headers["location"]).text
    assert "您的个人信息已删除。" in after
    (lead,) = _leads(database)
    assert lead.consent is True and lead.erased_at is not None and lead.contact_mobile is None
    # The sender's page says the lead is erased, not 新线索 as the inbox still files it.
    state = re.search(r'<dd id="lead-state">(.*?)</dd>', after, re.S)
    assert state and "已删除个人信息" in state.group(1) and "新线索" not in state.group(1)
    assert "平台不再与您联系" in after


def test_a_wrong_link_opens_nothing(client: TestClient, database: Database) -> None:
    _send(client)
    assert client.get("/leads/status/" + "A" * 32).status_code == 404
    assert client.get("/leads/status/x").status_code in (400, 404, 422)
    token = csrf_token(client.get("/leads/new").text)
    bad = client.post("/leads/status/" + "A" * 32 + "/withdraw", data={"csrf_token": token})
    assert bad.status_code == 404
    assert all(lead.consent for lead in _leads(database))


def test_the_consent_names_who_keeps_the_data_how_long_and_how_to_withdraw(
    client: TestClient,
) -> None:
    html = client.get("/leads/new").text
    consent = html.split('class="field wide consent')[1].split("</fieldset>")[0]
    assert "长三角G60科创走廊联席会议办公室" in consent
    assert "730" in consent
    assert "提供给该对接方" in consent
    assert "撤回同意" in consent


def test_every_text_of_the_lead_pages_has_its_english() -> None:
    install()
    texts: set[str] = set()
    for path in (TEMPLATES / "leads").glob("*.html"):
        source = path.read_text(encoding="utf-8")
        for pattern in (*CALLS, PAIRS):
            texts |= set(pattern.findall(source))
    assert texts
    assert sorted(t for t in texts if translate(t, "en") == t) == []


def test_operators_see_the_reference_and_the_tax_as_typed(
    client: TestClient, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    _send(client)
    (lead,) = _leads(database)
    login_as(client, make_web_user("ops", Role.operator))
    html = client.get(f"/workspace/leads/{lead.id}").text
    assert lead.reference and lead.reference in html
    assert "500 (500万元/年)" in html
    assert "13600004444" in html, "operators in scope see the mobile typed in the need"


def test_the_industry_is_shown_as_typed_with_the_catalogues_as_a_hint(
    client: TestClient, database: Database
) -> None:
    # Issue 14: "汽车零部件" silently became 新能源汽车/智能网联汽车.
    page = client.get(_send(client, industry="汽车零部件").headers["location"]).text
    assert "汽车零部件(新能源汽车/智能网联汽车)" in page
    (lead,) = _leads(database)
    assert (lead.industry, lead.industry_text) == ("nev", "汽车零部件")
