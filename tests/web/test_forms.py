"""Posting listings and leads through the forms: the API's schemas, inline Chinese errors."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from factorlink.auth.models import Role
from tests.factories import MakeOrganization
from tests.web.conftest import LoginAs, MakeWebUser, csrf_token

DEMAND = {
    "title": "新能源汽车电池包轻量化散热方案",
    "description": "现有铝制液冷板重量偏大,需在保证散热的前提下减重20%以上。",
    "keywords": "电池包、散热、轻量化",
    "industry": "新能源汽车",
    "budget": "100-300",
    "city": "嘉兴",
    "contact_name": "赵工",
    "contact_mobile": "13900002222",
}


def test_member_posts_a_demand(
    client: TestClient,
    make_org: MakeOrganization,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
) -> None:
    org = make_org("嘉兴某汽车零部件有限公司", city="jiaxing")
    login_as(client, make_web_user("member", Role.member, organization_id=org.id))
    form = client.get("/post/demand")
    assert form.status_code == 200
    assert 'name="organization"' not in form.text, "members post as their own organisation"
    assert '<label for="f-title">' in form.text
    data = {**DEMAND, "coop_modes": ["合作开发", "转让"], "csrf_token": csrf_token(form.text)}
    posted = client.post("/post/demand", data=data, follow_redirects=False)
    assert posted.status_code == 303, posted.text
    location = posted.headers["location"]
    assert re.fullmatch(r"/demands/\d+\?created=1#matches", location)
    detail = client.get(location)
    assert "发布成功" in detail.text and DEMAND["title"] in detail.text
    assert "嘉兴某汽车零部件有限公司" in detail.text
    assert "13900002222" in detail.text, "the owner sees its own contact"
    assert "合作开发" in detail.text


def test_invalid_fields_are_shown_inline(
    client: TestClient, make_org: MakeOrganization, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    org = make_org()
    login_as(client, make_web_user("member", Role.member, organization_id=org.id))
    token = csrf_token(client.get("/post/demand").text)
    bad = {**DEMAND, "title": "", "contact_mobile": "12345", "city": "北京", "csrf_token": token}
    response = client.post("/post/demand", data=bad)
    assert response.status_code == 422
    html = response.text
    assert 'id="err-contact_mobile"' in html and 'id="err-city"' in html
    assert 'id="err-title"' in html
    assert 'value="12345"' in html, "what was typed stays in the form"
    assert 'role="alert"' in html
    assert client.get("/demands").text.count('class="panel result"') == 0


def test_visitors_must_log_in_to_post(client: TestClient) -> None:
    response = client.get("/post/demand", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fpost%2Fdemand"
    token = csrf_token(client.get("/login").text)
    refused = client.post("/post/demand", data={**DEMAND, "csrf_token": token})
    assert refused.status_code == 401 and "请先登录" in refused.text


def test_a_link_may_fill_in_the_need_and_the_title(
    client: TestClient, make_org: MakeOrganization, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    lead = client.get("/leads/new", params={"need": " 洁净厂房 ", "lead_type": "space"}).text
    assert '<textarea id="f-need" name="need" rows="4" aria-required="true"' in lead
    assert ">洁净厂房</textarea>" in lead
    assert 'name="lead_type" value="space" checked' in lead
    odd = client.get("/leads/new", params={"lead_type": "rocket"}).text
    assert " checked" not in odd
    assert client.get("/leads/new", params={"need": "x" * 101}).status_code == 400
    login_as(client, make_web_user("member", Role.member, organization_id=make_org().id))
    form = client.get("/post/demand", params={"title": "量子通信卫星"}).text
    assert 'id="f-title" name="title" type="text" value="量子通信卫星"' in form


def test_the_form_stores_titles_as_they_look_and_refuses_absurd_budgets(
    client: TestClient,
    make_org: MakeOrganization,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
) -> None:
    org = make_org("嘉兴某汽车零部件有限公司", city="jiaxing")
    login_as(client, make_web_user("member", Role.member, organization_id=org.id))
    token = csrf_token(client.get("/post/demand").text)
    spoofed = {**DEMAND, "title": "\u202e电池包\u200b轻量化\u2066散热方案\u2069", "city": "嘉興"}

    absurd = client.post("/post/demand", data={**spoofed, "budget": "1e308", "csrf_token": token})
    assert absurd.status_code == 422
    assert 'id="err-budget"' in absurd.text and "10,000,000" in absurd.text

    posted = client.post(
        "/post/demand", data={**spoofed, "csrf_token": token}, follow_redirects=False
    )
    assert posted.status_code == 303, posted.text
    detail = client.get(posted.headers["location"]).text
    assert "电池包轻量化散热方案" in detail and "\u202e" not in detail and "\u200b" not in detail
    assert "嘉兴" in detail


def test_an_industry_field_says_what_it_accepts_and_what_the_words_are_matched_as(
    client: TestClient,
    make_org: MakeOrganization,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
) -> None:
    org = make_org("嘉兴某汽车零部件有限公司", city="jiaxing")
    login_as(client, make_web_user("member", Role.member, organization_id=org.id))
    form = client.get("/post/carrier").text
    assert "常用说法(如 汽车零部件" in form
    assert 'data-industry-hint="understood-industries"' in form
    assert 'id="understood-industries" aria-live="polite" hidden' in form  # nothing typed yet
    hint = client.get("/post/industry-hint", params={"q": "汽车零部件、新材料"}).json()
    assert (
        hint["text"]
        == "按产业目录匹配为:汽车零部件 → 新能源汽车/智能网联汽车、新材料(原文照样保存)"
    )
    assert "量子纠缠" in client.get("/post/industry-hint", params={"q": "量子纠缠"}).json()["text"]
    # A form sent back with an error keeps the words as typed, with what they are matched as.
    data = {"name": "", "industries": "汽车零部件、新材料", "csrf_token": csrf_token(form)}
    refused = client.post("/post/carrier", data=data)
    assert refused.status_code == 422
    assert 'value="汽车零部件、新材料"' in refused.text
    understood = refused.text.split('id="understood-industries"')[1].split("</p>")[0]
    assert "汽车零部件 → 新能源汽车/智能网联汽车" in understood and "hidden" not in understood
    client.get("/lang/en")
    english = client.get("/post/industry-hint", params={"q": "汽车零部件"}).json()["text"]
    assert english == (
        "Matched by the catalogue as: 汽车零部件 → New-energy and connected vehicles "
        "(kept as you typed it)"
    )
