"""What every door does with hostile text and figures (issue 13, item 13): bidi controls and
zero-width characters are dropped from all text, absurd figures refused with their maximum, and
traditional city names resolved. The API (InputModel and the column parsers), imports (the
same parsers) and the web forms (the API's schemas) agree."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from factorlink.kit.schemas import InputModel
from tests.factories import MakeActor

SPOOFED = "\u202e\u200b高导热石墨烯\u200d散热膜\ufeff\u2066制备技术\u2069"
CLEAN = "高导热石墨烯散热膜制备技术"

ACHIEVEMENT = {
    "title": "高导热石墨烯复合散热膜制备技术",
    "abstract": "采用化学气相沉积与热压复合工艺,面内导热系数≥1500 W/(m·K),已完成中试。",
    "keywords": "石墨烯、散热膜、导热",
    "industry": "新材料/石墨烯",
    "trl": "中试",
    "price_wan": "300",
    "organization": "示例大学",
    "city": "杭州市余杭区",
    "contact_name": "李晓明",
    "contact_mobile": "13812345678",
}
CARRIER = {
    "name": "松江综保区标准厂房3号楼",
    "kind": "厂房",
    "city": "松江",
    "area": "5000㎡",
    "price": "1.2元/㎡/天",
    "contact_name": "王工",
    "contact_mobile": "13900001111",
}
DEMAND = {
    "title": "电池包轻量化散热方案",
    "description": "现有铝制液冷板重量偏大,需减重20%以上。",
    "industry": "新能源汽车",
    "budget": "100-300",
    "organization": "嘉兴示例新能源有限公司",
    "city": "嘉兴",
}


class _Body(InputModel):
    name: str
    tags: list[str]
    nested: dict[str, str]
    secret: SecretStr
    maybe_secret: SecretStr | None = None


def test_input_model_drops_invisible_characters_from_all_text_but_secrets() -> None:
    body = _Body.model_validate(
        {
            "name": SPOOFED,
            "tags": ["\u200b石墨烯", "散热\u202e膜"],
            "nested": {"k": "\u2066值\u2069"},
            "secret": "pass\u200bword\x00",
            "maybe_secret": "\u202eabc",
        }
    )
    assert body.name == CLEAN
    assert body.tags == ["石墨烯", "散热膜"]
    assert body.nested == {"k": "值"}
    # A password is hashed, never shown: kept as typed, as the web form and the CLI send it.
    assert body.secret.get_secret_value() == "pass\u200bword\x00"
    assert body.maybe_secret is not None
    assert body.maybe_secret.get_secret_value() == "\u202eabc"


def _post(client: TestClient, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(
        path,
        content=json.dumps(body, ensure_ascii=False).encode(),
        headers={**headers, "content-type": "application/json"},
    )


def test_the_api_stores_names_and_titles_as_they_look(
    client: TestClient, make_actor: MakeActor
) -> None:
    admin = make_actor("admin").headers
    created = _post(
        client,
        "/api/v1/achievements",
        {**ACHIEVEMENT, "title": SPOOFED, "organization": "示例\u202e大学"},
        admin,
    )
    assert created.status_code == 201, created.text
    assert created.json()["title"] == CLEAN
    assert created.json()["organization_name"] == "示例大学"
    found = client.get("/api/v1/achievements", params={"q": "散热膜制备"}).json()
    assert [item["title"] for item in found["items"]] == [CLEAN]


@pytest.mark.parametrize(
    ("path", "body", "field", "shown_max"),
    [
        ("/api/v1/achievements", {**ACHIEVEMENT, "price_wan": "1e308"}, "price_wan", "10,000,000"),
        ("/api/v1/achievements", {**ACHIEVEMENT, "price_wan": 1e308}, "price_wan", "10,000,000"),
        ("/api/v1/demands", {**DEMAND, "budget": "1e308"}, "budget", "10,000,000"),
        ("/api/v1/demands", {**DEMAND, "budget": "100-1e308万"}, "budget", None),
        ("/api/v1/carriers", {**CARRIER, "area": "1e308亩"}, "area", "1,500,000亩"),
        ("/api/v1/carriers", {**CARRIER, "price": "1e308元/㎡/天"}, "price", "1,000元/㎡/天"),
        (
            "/api/v1/carriers",
            {**CARRIER, "tax_threshold_wan_per_mu": 1e308},
            "tax_threshold_wan_per_mu",
            "100,000",
        ),
        (
            "/api/v1/organizations",
            {"name": "某公司", "kind": "企业", "city": "合肥", "annual_tax_wan": 1e308},
            "annual_tax_wan",
            "10,000,000",
        ),
    ],
)
def test_absurd_figures_are_refused_with_a_field_error(
    client: TestClient,
    make_actor: MakeActor,
    path: str,
    body: dict[str, Any],
    field: str,
    shown_max: str | None,
) -> None:
    admin = make_actor("admin").headers
    response = _post(client, path, body, admin)
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["field"] == field
    if shown_max is not None:
        assert "超出上限" in error["reason"] and shown_max in error["reason"]
    assert client.get(path, headers=admin).json()["total"] == 0  # nothing stored


def test_a_lead_with_an_absurd_tax_is_refused(client: TestClient) -> None:
    lead = {
        "need": "找2000平米厂房",
        "contact_name": "王五",
        "contact_mobile": "13900001234",
        "lead_type": "space",
        "consent": True,
        "annual_tax_wan": 1e308,
    }
    response = _post(client, "/api/v1/leads", lead, {})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "annual_tax_wan"


def test_traditional_city_names_are_accepted(client: TestClient, make_actor: MakeActor) -> None:
    admin = make_actor("admin").headers
    created = _post(client, "/api/v1/carriers", {**CARRIER, "city": "上海市松江區"}, admin)
    assert created.status_code == 201, created.text
    assert created.json()["city"] == "songjiang"
    demand = _post(client, "/api/v1/demands", {**DEMAND, "city": "嘉興"}, admin)
    assert demand.status_code == 201, demand.text
    assert demand.json()["city"] == "jiaxing"


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


IMPORTED = {
    "成果名称": SPOOFED,
    "成果简介": "采用化学气相沉积与热压复合工艺,已完成中试。",
    "所属行业": "新材料/石墨烯",
    "参考价格(万元)": "300",
    "所属机构": "\ufeff示例大学",
    "所在城市": "金華市",
}


def test_imports_drop_invisible_characters_and_resolve_traditional_cities(
    client: TestClient, make_actor: MakeActor
) -> None:
    admin = make_actor("admin").headers
    response = client.post(
        "/api/v1/imports",
        params={"kind": "achievement"},
        files={"file": ("成果.csv", _csv([IMPORTED]), "text/csv")},
        headers=admin,
    )
    assert response.status_code == 200, response.text
    (item,) = client.get("/api/v1/achievements", headers=admin).json()["items"]
    assert (item["title"], item["organization_name"], item["city"]) == (
        CLEAN,
        "示例大学",
        "jinhua",
    )


def test_imports_refuse_absurd_figures_naming_row_and_column(
    client: TestClient, make_actor: MakeActor
) -> None:
    admin = make_actor("admin").headers
    response = client.post(
        "/api/v1/imports",
        params={"kind": "achievement"},
        files={"file": ("成果.csv", _csv([{**IMPORTED, "参考价格(万元)": "1e308"}]), "text/csv")},
        headers=admin,
    )
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["row"] == 2 and error["column"] == "参考价格(万元)"
    assert "超出上限" in error["reason"]
    assert client.get("/api/v1/achievements", headers=admin).json()["total"] == 0
