"""`factorlink news extract` and `factorlink news eval` on files the tests write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorlink.cli.main import app
from factorlink.config import Settings
from factorlink.db.session import Database
from tests.news.pages import ARTICLE_TEXT, news_page
from tests.news.site import serve

runner = CliRunner(env={"COLUMNS": "250"})


def test_extract_json(tmp_path: Path) -> None:
    page = tmp_path / "gbk.htm"
    page.write_bytes(news_page(charset_meta=False).encode("gbk"))
    result = runner.invoke(app, ["news", "extract", str(page), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data == {
        "title": "G60科创走廊第五届科技成果拍卖会成交近110亿元",
        "date": "2023-11-06",
        "source": "松江报",
        "author": "王晓明",
        "body": "\n".join(ARTICLE_TEXT),
    }


def test_extract_table_and_errors(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text(news_page(), encoding="utf-8")
    result = runner.invoke(app, ["news", "extract", str(page)])
    assert result.exit_code == 0 and "2023-11-06" in result.output and "松江报" in result.output
    missing = runner.invoke(app, ["news", "extract", str(tmp_path / "none.html")])
    assert missing.exit_code == 1 and "文件不存在" in missing.output
    odd = tmp_path / "x.pdf"
    odd.write_bytes(b"%PDF")
    unsupported = runner.invoke(app, ["news", "extract", str(odd)])
    assert unsupported.exit_code == 1 and "unsupported" in unsupported.output


def _cwced(root: Path) -> Path:
    folder = root / "cwced"
    for sub in ("original", "cleaned", "date", "author"):
        (folder / sub).mkdir(parents=True)
    (folder / "original" / "p1.html").write_bytes(news_page(charset_meta=False).encode("gbk"))
    (folder / "cleaned" / "p1.txt").write_text("\n".join(ARTICLE_TEXT), encoding="utf-8")
    (folder / "date" / "p1.txt").write_text("2023-11-6 10:30", encoding="utf-8")
    (folder / "author" / "p1.txt").write_text("王晓明", encoding="utf-8")
    (folder / "original" / "p2.html").write_text(news_page(published=""), encoding="utf-8")
    (folder / "cleaned" / "p2.txt").write_text("完全不同的一段文字", encoding="utf-8")
    (folder / "date" / "p2.txt").write_text("2020-01-01", encoding="utf-8")
    return folder


def _magic(root: Path) -> Path:
    folder = root / "magic"
    (folder / "html").mkdir(parents=True)
    (folder / "html" / "m1.html").write_text(news_page(published=""), encoding="utf-8")
    truth = {"id": "m1", "url": "https://example.test/2023-11/06/1.html",
             "content": "\n".join(ARTICLE_TEXT)}  # fmt: skip
    (folder / "truth.jsonl").write_text(json.dumps(truth, ensure_ascii=False) + "\n")
    return folder


def test_eval_both_layouts(tmp_path: Path) -> None:
    cwced = runner.invoke(app, ["news", "eval", str(_cwced(tmp_path)), "--json"])
    assert cwced.exit_code == 0, cwced.output
    data = json.loads(cwced.output)
    assert set(data) == {"pages", "f1_mean", "f1_median", "date_accuracy"}
    assert data["pages"] == 2
    assert data["date_accuracy"] == 0.5  # p1 right, p2 has none but the truth says 2020-01-01
    assert 0.4 < data["f1_mean"] < 0.6 and data["f1_median"] == data["f1_mean"]
    magic = json.loads(runner.invoke(app, ["news", "eval", str(_magic(tmp_path)), "--json"]).output)
    assert magic["pages"] == 1 and magic["f1_mean"] == 1.0
    assert magic["date_accuracy"] is None  # the truth's first line names no date
    table = runner.invoke(app, ["news", "eval", str(tmp_path)])  # a folder of data sets
    assert table.exit_code == 0 and "页/秒" in table.output
    assert " 3 " in table.output


def test_eval_of_an_unknown_folder_says_what_it_needs(tmp_path: Path) -> None:
    result = runner.invoke(app, ["news", "eval", str(tmp_path)])
    assert result.exit_code == 1
    assert "truth.jsonl" in result.output


def test_ingest_twice_then_an_address(
    cli_env: Settings, database: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_text(news_page(), encoding="utf-8")
    first = runner.invoke(app, ["news", "ingest", str(folder)])
    assert first.exit_code == 0, first.output
    assert "新增 1 篇" in first.output and "湖州" in first.output
    second = runner.invoke(app, ["news", "ingest", str(folder), "https://news.example.test/rss"])
    assert second.exit_code == 0, second.output
    assert "新增 0 篇" in second.output and "unchanged: 1" in second.output
    assert "news.example.test is not allow-listed" in second.output


def test_ingest_from_an_allow_listed_site(
    cli_env: Settings, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTORLINK_NEWS_RATE_SECONDS", "0")
    with serve() as site:
        result = runner.invoke(
            app, ["news", "ingest", f"{site.base}/feed.xml", "--allow", "127.0.0.1"]
        )
        assert result.exit_code == 0, result.output
        assert "新增 2 篇" in result.output and "嘉兴发布第1批成果转化项目" in result.output
        assert "disallowed by robots.txt" in result.output
        refused = runner.invoke(app, ["news", "ingest", f"{site.base}/feed.xml"])
        assert "is not allow-listed" in refused.output


def test_relink(cli_env: Settings, database: Database, tmp_path: Path) -> None:
    # `database` empties the PostgreSQL test database afterwards, as for every test that writes.
    (tmp_path / "a.html").write_text(news_page(), encoding="utf-8")
    runner.invoke(app, ["news", "ingest", str(tmp_path / "a.html")])
    result = runner.invoke(app, ["news", "relink"])
    assert result.exit_code == 0 and "relinked: 1" in result.output
