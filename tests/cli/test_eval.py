"""`factorlink eval`: figures per method, as a table or one JSON object."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from factorlink.cli.main import app
from factorlink.config import Settings


def _dataset(folder: Path) -> Path:
    (folder / "qrels").mkdir(parents=True)
    corpus = [
        {"_id": "d1", "title": "", "text": "锂电池热失控预警"},
        {"_id": "d2", "title": "", "text": "晶圆缺陷分类与良率分析"},
    ]
    (folder / "corpus.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in corpus), encoding="utf-8"
    )
    (folder / "queries.jsonl").write_text('{"_id": "q1", "text": "良率"}', encoding="utf-8")
    (folder / "qrels" / "test.tsv").write_text("q1\td2\t1\n", encoding="utf-8")
    return folder


def test_eval_prints_json_per_method(cli_env: Settings, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(_dataset(tmp_path / "set")), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert set(figures) == {"bm25", "dense", "hybrid"}
    assert figures["bm25"]["ndcg@10"] == 1.0 and figures["hybrid"]["mrr@10"] == 1.0


def test_eval_prints_a_table_for_one_method(cli_env: Settings, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(_dataset(tmp_path / "set")), "--method", "bm25"])
    assert result.exit_code == 0, result.output
    assert "nDCG@10" in result.output and "bm25" in result.output
    assert "hybrid" not in result.output


def test_eval_refuses_an_unknown_method_and_a_bad_file(cli_env: Settings, tmp_path: Path) -> None:
    folder = _dataset(tmp_path / "set")
    result = CliRunner().invoke(app, ["eval", str(folder), "--method", "tfidf"])
    assert result.exit_code == 2 and "bm25, dense, hybrid or all" in result.output
    (folder / "queries.jsonl").write_text("{broken", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(folder), "--method", "bm25"])
    assert result.exit_code == 1 and "queries.jsonl" in result.output
