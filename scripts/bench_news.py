"""Benchmark of industry news: extraction speed and quality per data set, and the duplicate
finder's recall on copies made from real pages (a measurement, not a test).

Extraction: `factorlink news eval` over each data set of ../shared/data/news (pages, mean and
median F1, date accuracy, pages/s). Duplicates: every page's extracted body becomes a story; for
each, three copies are made as sites re-post a release — another header and footer, the first
70% only, and one sentence in five reworded — and all bodies go through the LSH index in random
order. Recall is the share of copies that join their story; a false pair is a page that joins
another page's story. Then the index's speed on --articles synthetic articles.

    .venv/bin/python scripts/bench_news.py [--data ../shared/data/news] [--articles 20000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from factorlink.news import duplicates
from factorlink.news.evaluation.datasets import truth_pages
from factorlink.news.evaluation.run import evaluate
from factorlink.news.extract import ExtractError, extract_page
from factorlink.news.tags import sentences

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "news"


def _copies(body: str, rng: random.Random) -> list[str]:
    header = "(来源:转载自合作媒体)本站讯 "
    cut = body[: int(len(body) * 0.7)]
    parts = sentences(body)
    edited = "".join(
        (s[: len(s) // 2] + "据悉" + s[len(s) // 2 :]) if i % 5 == 2 else s
        for i, s in enumerate(parts)
    )
    return [header + body + "\n责任编辑:某某", cut, edited]


def duplicate_recall(folder: Path, seed: int = 7) -> tuple[int, int, int, int]:
    """(stories, copies that joined their story, copies, false pairs)."""
    rng = random.Random(seed)
    bodies = []
    for page in truth_pages(folder):
        try:
            body = extract_page(page.path.name, page.path.read_bytes(), page.url).body
        except ExtractError:
            continue
        if len(body) >= 200:  # a copy of a few words is no story
            bodies.append(body)
    items: list[tuple[int, int, str]] = []  # (id, story it belongs to, text)
    next_id = 1
    for body in bodies:
        story = next_id
        items.append((next_id, story, body))
        next_id += 1
        for copy in _copies(body, rng):
            items.append((next_id, story, copy))
            next_id += 1
    originals = {i for i, s, _ in items if i == s}
    first = {}
    rng.shuffle(items)
    index = duplicates.StoryIndex()
    truth = {i: s for i, s, _ in items}
    for article_id, _, text in items:
        first[article_id] = index.add(article_id, text)
    # Two articles are paired when they end in one story; compare with the truth.
    found = 0
    false = 0
    by_story: dict[int, set[int]] = {}
    for article_id, story in first.items():
        by_story.setdefault(story, set()).add(article_id)
    for members in by_story.values():
        true_stories = {truth[m] for m in members}
        false += len(true_stories) - 1
    for story in originals:
        copies = [i for i in truth if truth[i] == story and i != story]
        found += sum(1 for c in copies if first[c] == first[story])
    return len(originals), found, len(originals) * 3, false


def lsh_speed(count: int) -> float:
    rng = random.Random(3)
    # Common characters (CJK Unified Ideographs from U+4E00), drawn at random: articles that
    # share shingles only by chance, as distinct news does.
    alphabet = [chr(0x4E00 + i) for i in range(3000)]
    texts = ["".join(rng.choice(alphabet) for _ in range(600)) for _ in range(count)]
    index = duplicates.StoryIndex()
    started = time.perf_counter()
    for i, text in enumerate(texts, start=1):
        index.add(i, text)
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=20000)
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"no data at {args.data}")
    console = Console(width=200)
    table = Table(title="Extraction (factorlink news eval)")
    for column in ("set", "pages", "F1 mean", "F1 median", "date acc.", "dated acc.", "pages/s"):
        table.add_column(column)
    sets = sorted(p for p in args.data.iterdir() if p.is_dir())
    for folder in sets:
        result = evaluate(folder)
        s = result.summary
        table.add_row(
            folder.name, str(s.pages), f"{s.f1_mean:.4f}", f"{s.f1_median:.4f}",
            f"{s.date_accuracy:.1%}" if s.date_accuracy is not None else "-",
            f"{s.dated_accuracy:.1%} of {s.dated_pages}" if s.dated_accuracy is not None else "-",
            f"{result.pages_per_second:.1f}",
        )  # fmt: skip
    console.print(table)
    table = Table(title="Duplicates (MinHash LSH, 5-char shingles, 128 permutations, t=0.5)")
    for column in ("set", "stories", "copies found", "recall", "false pairs"):
        table.add_column(column)
    for folder in sets:
        stories, found, copies, false = duplicate_recall(folder)
        recall = f"{found / copies:.1%}" if copies else "-"
        table.add_row(folder.name, str(stories), f"{found} / {copies}", recall, str(false))
    table.add_row(
        "synthetic", f"{args.articles}", "-", "-", f"{lsh_speed(args.articles):.0f} articles/s"
    )
    console.print(table)


if __name__ == "__main__":
    main()
