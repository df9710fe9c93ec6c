"""/api/v1/news: the list with filters and search, an article, the news about a listing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from factorlink.achievement.models import Achievement
from factorlink.config import Settings
from factorlink.db.session import Database
from tests.factories import MakeActor
from tests.introduction.builders import add_listing
from tests.news.pages import news_page
from tests.news.test_linking import FUND, GRAPHENE, _ingest


def test_list_filters_search_and_article(
    client: TestClient, database: Database, settings: Settings
) -> None:
    achievement = add_listing(database, "achievement")
    first = _ingest(database, settings, "石墨烯散热膜完成中试", GRAPHENE)
    copy = _ingest(database, settings, "石墨烯散热膜完成中试(转载)", ("本网讯", *GRAPHENE))
    fund = _ingest(database, settings, "松江科创金融对接会", FUND)

    listed = client.get("/api/v1/news").json()
    assert listed["total"] == 2  # one entry per story
    by_id = {item["id"]: item for item in listed["items"]}
    assert by_id[first]["copies"] == 1 and by_id[fund]["copies"] == 0
    assert "杭州" in by_id[first]["cities"]

    def ids(**params: str) -> list[int]:
        response = client.get("/api/v1/news", params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert ids(city="松江") == [fund]
    assert ids(city="上海市松江区") == [fund]
    assert ids(industry="新材料") == [first]
    assert ids(q="散热膜 中试") == [first]
    assert ids(source="松江报") == sorted([first, fund], reverse=True)
    assert ids(**{"from": "2023-11-06", "to": "2023-11-06"}) == sorted([first, fund], reverse=True)
    assert ids(**{"from": "2024-01-01"}) == []

    bad = client.get("/api/v1/news", params={"city": "北京", "industry": "造船"})
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert fields == {"city", "industry"}

    article = client.get(f"/api/v1/news/{first}").json()
    assert article["title"] == "石墨烯散热膜完成中试"
    assert article["published"] == "2023-11-06" and article["source"] == "松江报"
    assert [c["id"] for c in article["copies_of_story"]] == [copy]
    links = {(link["kind"], link["id"]): link for link in article["links"]}
    assert ("achievement", achievement) in links
    assert links[("achievement", achievement)]["title"] == "高导热石墨烯复合散热膜制备技术"
    assert "contact_name" not in str(article) and "13812345678" not in str(article)
    assert {t["kind"] for t in article["tags"]} >= {"city", "organization", "industry"}
    assert [r["id"] for r in article["related"]] == [fund]

    about = client.get(f"/api/v1/news/about/achievement/{achievement}").json()
    # Its own news, and its owner's (示例大学 is named by the fund article too); one per story.
    assert [a["id"] for a in about] == [fund, first]
    assert client.get("/api/v1/news/999").status_code == 404
    assert client.get("/api/v1/news/about/lead/1").status_code == 404
    assert client.get("/api/v1/news/about/achievement/999").status_code == 404


def test_staff_upload_saved_pages(client: TestClient, make_actor: MakeActor) -> None:
    operator, member = make_actor("operator"), make_actor("member")
    page = news_page().encode("gbk")
    files = [
        ("files", ("a.htm", page, "text/html")),
        ("files", ("again.htm", page, "text/html")),
        ("files", ("notes.pdf", b"%PDF", "application/pdf")),
    ]
    refused = client.post("/api/v1/news/pages", files=files, headers=member.headers)
    assert refused.status_code == 403
    response = client.post("/api/v1/news/pages", files=files, headers=operator.headers)
    assert response.status_code == 200, response.text
    report = response.json()
    assert [a["title"] for a in report["added"]] == ["G60科创走廊第五届科技成果拍卖会成交近110亿元"]
    assert report["unchanged"] == ["again.htm"]
    assert report["skipped"][0]["file"] == "notes.pdf"
    assert "unsupported" in report["skipped"][0]["reason"]
    anonymous = client.post("/api/v1/news/pages", files=files[:1])
    assert anonymous.status_code == 401


def test_the_upload_address_is_not_taken_for_an_article(client: TestClient) -> None:
    # /news/{article_id} matches digits only, so /news/pages answers POST alone.
    assert client.options("/api/v1/news/pages").headers["allow"] == "OPTIONS, POST"
    assert client.get("/api/v1/news/pages").status_code == 405


def test_an_article_does_not_link_a_withdrawn_listing(
    client: TestClient, database: Database, settings: Settings
) -> None:
    achievement = add_listing(database, "achievement")
    article = _ingest(database, settings, "石墨烯散热膜完成中试", GRAPHENE)

    def linked() -> set[tuple[str, int]]:
        body = client.get(f"/api/v1/news/{article}").json()
        return {(link["kind"], link["id"]) for link in body["links"]}

    assert ("achievement", achievement) in linked()
    with database.unit_of_work() as session:
        listing = session.get(Achievement, achievement)
        assert listing is not None
        listing.state = "withdrawn"
    assert ("achievement", achievement) not in linked()
