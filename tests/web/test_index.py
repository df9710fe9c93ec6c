"""The innovation index's pages: the ranking per year, a page per city, the framework and
method, downloads, and an operator's upload of real data (or the setting) instead of the
sample."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from factorlink.api.app import create_app
from factorlink.auth.models import Role
from factorlink.composite.files import PACKAGE_DATA
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.web.i18n import translate
from factorlink.web.render import TEMPLATES
from tests.composite.conftest import ASEM_PIPELINE
from tests.web.conftest import LoginAs, MakeWebUser, csrf_token

SAMPLE = PACKAGE_DATA / "corridor_sample.csv"


def _data(page: str) -> dict[str, Any]:
    found = re.search(r'id="index-data">(.*?)</script>', page, re.S)
    assert found
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def _ranking_units(page: str) -> list[str]:
    return re.findall(r'<tr data-unit="([^"]+)">', page)


def test_the_ranking_of_the_latest_year_with_each_dimension(client: TestClient) -> None:
    page = client.get("/index")
    assert page.status_code == 200
    text = html.unescape(page.text)
    api = client.get("/api/v1/index/results").json()
    assert _ranking_units(text) == [u["unit"] for u in api["units"]]
    for name in ("资源共享", "科创成效", "创新集群", "开放生态", "制度创新"):
        assert f'<th scope="col">{name}</th>' in text
    assert 'id="sample-note"' in text and "本页数字均为虚构" in text
    chart = _data(text)["chart"]
    assert chart["scores"] == [u["index"]["score"] for u in api["units"]]
    assert '<option value="2024" selected>' in text
    [overall] = [o for o in api["overall"] if o["name"] == "长三角G60科创走廊创新指数"]
    card = (
        '长三角G60科创走廊创新指数(全部单位平均)</span><span class="card-value" id="overall-score">'
    )
    assert f"{card}{overall['score']}<" in text
    assert '<script src="/static/vendor/echarts/echarts.min.js"' in text
    assert client.get("/static/js/index.js").status_code == 200
    assert 'href="/index" aria-current="page">创新指数</a>' in text  # in the navigation


def test_an_earlier_year(client: TestClient) -> None:
    text = html.unescape(client.get("/index", params={"year": 2020}).text)
    api = client.get("/api/v1/index/results", params={"year": 2020}).json()
    assert _ranking_units(text) == [u["unit"] for u in api["units"]]
    assert '<option value="2020" selected>' in text
    assert client.get("/index", params={"year": 1999}).status_code == 404


def test_a_city_page_has_radar_trend_and_rank_interval(client: TestClient) -> None:
    page = client.get("/index/cities/songjiang")
    assert page.status_code == 200
    text = html.unescape(page.text)
    profile = client.get("/api/v1/index/cities/songjiang").json()
    interval = profile["interval"]
    assert interval["low"] <= interval["median"] <= interval["high"]
    assert f'id="city-interval">{interval["low"]:g}–{interval["high"]:g}<' in text
    assert f"{interval['runs']} 次模拟" in text
    assert f"中位数为第 {interval['median']:g} 名;90%的模拟排名在第" in text
    chart = _data(text)["chart"]
    assert chart["dimensions"] == ["资源共享", "科创成效", "创新集群", "开放生态", "制度创新"]
    assert chart["years"] == [2019, 2020, 2021, 2022, 2023, 2024]
    assert chart["trend"] == [y["index"]["score"] for y in profile["years"]]
    assert len(chart["average"]) == 5 and all(v is not None for v in chart["average"])
    assert text.count('<tr><th scope="row">20') == 6  # every year in the trend table


def test_a_city_by_name_redirects_to_its_code(client: TestClient) -> None:
    response = client.get("/index/cities/松江", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == "/index/cities/songjiang"
    assert client.get("/index/cities/北京").status_code == 422
    assert client.get("/index/cities/beijing").status_code == 422


def test_the_framework_and_the_method(client: TestClient) -> None:
    text = html.unescape(client.get("/index/method").text)
    assert "长三角G60科创走廊创新指数" in text
    assert text.count('class="index-table framework-table"') == 5
    assert "每万人发明专利拥有量" in text and "知识产权局" in text
    steps = re.findall(r"<li>(.*?)</li>", text.split('id="method-steps"')[1].split("</ol>")[0])
    assert steps[0].startswith("按框架指定的规模指标")
    assert any("以2019年各单位平均值为100" in s for s in steps)
    assert any(s.startswith("不确定性分析:1000次蒙特卡洛模拟") for s in steps)


def test_downloads_as_xlsx_and_csv(client: TestClient) -> None:
    book = client.get("/index/download/index.xlsx")
    assert book.status_code == 200
    assert "filename*=UTF-8''" in book.headers["content-disposition"]
    sheets = load_workbook(io.BytesIO(book.content), read_only=True).sheetnames
    assert sheets == ["得分与排名", "增长", "排名区间", "指标"]
    scores = client.get("/index/download/scores.csv")
    assert scores.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(scores.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["年份 year", "单位 unit", "名称 name"]
    assert len(rows) == 1 + 6 * 9 * (1 + 5)  # years × cities × (index + dimensions)
    assert client.get("/index/download/secrets.csv").status_code == 404


def test_every_index_text_has_its_english() -> None:
    calls = (re.compile(r'_\(\s*"([^"]+)"\s*\)'), re.compile(r"_\(\s*'([^']+)'\s*\)"))
    pairs = re.compile(r'\("[^"]*", "([^"]*[\u4e00-\u9fff][^"]*)"\)')
    texts: set[str] = set()
    for path in (TEMPLATES / "index").glob("*.html"):
        source = path.read_text(encoding="utf-8")
        for pattern in (*calls, pairs):
            texts |= set(pattern.findall(source))
    assert texts and sorted(t for t in texts if translate(t, "en") == t) == []


@pytest.fixture
def operator_client(
    settings: Settings, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> Iterator[TestClient]:
    with TestClient(create_app(settings, database)) as client:
        login_as(client, make_web_user("ops-index", Role.operator))  # of every city
        yield client


def _upload(client: TestClient, name: str, data: bytes) -> Any:
    token = csrf_token(client.get("/index/data").text)
    return client.post(
        "/index/data", data={"csrf_token": token}, files={"file": (name, data, "text/csv")}
    )


def _real_looking(change: dict[str, str] | None = None) -> bytes:
    """The sample's layout with 湖州's figures tripled (so it leads), the note removed."""
    rows = list(csv.DictReader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))
    for row in rows:
        row["备注"] = ""
        if row["城市"] == "湖州":
            for key in list(row)[4:-1]:  # not 城市, 年份 nor the sizes (population, gdp)
                if row[key] and key != "startup_days":  # fewer days is better
                    row[key] = str(float(row[key]) * 3)
        row.update(change or {})
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_an_operator_uploads_real_data_and_goes_back_to_the_sample(
    operator_client: TestClient, settings: Settings
) -> None:
    client = operator_client
    form = html.unescape(client.get("/index/data").text)
    assert "内置样例数据(虚构)" in form and "shared_instruments" in form
    before = _ranking_units(client.get("/index").text)
    done = _upload(client, "2024年走廊数据.csv", _real_looking())
    assert done.status_code == 200, done.text
    assert 'id="upload-done">已启用 2024年走廊数据.csv:9' in html.unescape(done.text)
    page = html.unescape(client.get("/index").text)
    assert 'id="sample-note"' not in page
    assert _ranking_units(page)[0] == "huzhou" != before[0]
    assert client.get("/api/v1/index/results").json()["sample"] is False
    assert "2024年走廊数据.csv" in html.unescape(client.get("/index/data").text)
    token = csrf_token(client.get("/index/data").text)
    back = client.post("/index/data/remove", data={"csrf_token": token}, follow_redirects=False)
    assert back.status_code == 303
    assert _ranking_units(client.get("/index").text) == before
    assert not [p for p in (settings.data_dir / "composite").iterdir() if p.is_dir()]


def test_a_bad_file_is_refused_and_the_index_stays(operator_client: TestClient) -> None:
    client = operator_client
    bad = _upload(client, "坏数据.csv", _real_looking({"城市": "北京"}))
    assert bad.status_code == 422
    text = html.unescape(bad.text)
    assert "“坏数据.csv”:" in text and "北京" in text
    assert 'id="sample-note"' in html.unescape(client.get("/index").text)
    wrong = _upload(client, "数据.json", b"[]")
    assert wrong.status_code == 422 and "文件格式应为.xlsx或.csv" in html.unescape(wrong.text)


def test_only_staff_change_the_data(client: TestClient) -> None:
    assert client.get("/index/data", follow_redirects=False).status_code in (303, 401, 403)
    assert client.get("/index").status_code == 200  # the index itself is public


def test_the_setting_points_the_index_at_real_data(
    settings: Settings, database: Database, shared_data: Path
) -> None:
    real = settings.model_copy(update={"index_pipeline": ASEM_PIPELINE})
    with TestClient(create_app(real, database)) as client:
        text = html.unescape(client.get("/index").text)
        assert 'id="sample-note"' not in text
        assert _ranking_units(text)[:3] == ["CHE", "NLD", "DNK"]
        assert "68.38" in text  # COINr's published Index score of Switzerland
        assert client.get("/index/cities/CHE").status_code == 200
        assert client.get("/api/v1/index/results").json()["units"][0]["unit"] == "CHE"


def test_an_operator_of_some_cities_may_not_change_the_corridors_data(
    client: TestClient, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    login_as(client, make_web_user("ops-songjiang", Role.operator, city_scope=["songjiang"]))
    page = html.unescape(client.get("/index/data").text)
    assert 'id="may-not"' in page and 'action="/index/data"' not in page
    refused = _upload(client, "数据.csv", SAMPLE.read_bytes())
    assert refused.status_code == 403
    assert "仅管理员或不限城市的运营人员可更换指数数据" in html.unescape(refused.text)
