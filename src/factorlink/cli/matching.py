"""Commands: match a factor, rebuild and check the match indexes, evaluate and benchmark."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import Progress, TaskID
from rich.table import Table

from factorlink.cli.context import SYSTEM_VIEWER, console, reports_errors, unit_of_work
from factorlink.config import Settings, get_settings
from factorlink.db.session import Database
from factorlink.kit.ids import MAX_ID
from factorlink.matching.endpoints import TARGET_ALIASES
from factorlink.matching.live.indexes import registry_of
from factorlink.matching.presenter import present_matches
from factorlink.matching.retrieval.engine import Method
from factorlink.matching.schemas import MatchOut
from factorlink.matching.service import MAX_LIMIT, TARGETS, find_matches

KINDS = ", ".join(k.value for k in TARGETS)


def matches_table(matches: list[MatchOut], title: str | None = None) -> Table:
    """Matches as a table: score, evidence and contact as the viewer may see it."""
    table = Table(title=title)
    for column in ("类型 kind", "编号 code", "名称 title", "城市 city", "得分 score"):
        table.add_column(column)
    for column in ("文本 text", "语义 semantic", "条件 fit", "共同词 terms", "条件 criteria"):
        table.add_column(column)
    table.add_column("联系人 contact")
    for m in matches:
        contact = " ".join(x for x in (m.contact_name, m.contact_mobile) if x)
        criteria = " ".join(
            ("✓" if c.met else "✗") + c.label for c in m.criteria if c.met is not None
        )
        table.add_row(
            m.kind_label,
            m.code,
            m.title,
            m.city_name or "",
            f"{m.score:.2f}",
            f"{m.relevance:.2f}",
            f"{m.semantic:.2f}" if m.semantic is not None else "-",
            f"{m.fit:.2f}" if m.fit is not None else "-",
            "、".join(m.terms),
            criteria,
            contact,
        )
    return table


def register(app: typer.Typer) -> None:
    """Adds match, reindex, eval and bench."""
    app.command("match")(match)
    app.command("reindex")(reindex)
    app.command("eval")(evaluate)
    app.command("bench")(bench)


@reports_errors
def match(
    kind: str = typer.Argument(..., help=f"Kind of the factor: {KINDS}."),
    factor_id: int = typer.Argument(..., min=1, max=MAX_ID, help="Its id."),
    target: str = typer.Option(..., "--target", help="Kind to match it to, e.g. achievement."),
    limit: int = typer.Option(10, "--limit", min=1, max=MAX_LIMIT, help="How many matches."),
    method: Method = typer.Option(Method.hybrid, "--method", help="bm25, dense or hybrid."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Prints a factor's best matches of a target kind, with the reasons for each."""
    with unit_of_work() as session:
        # A one-shot command: encode what waits for a vector now, so the answer uses it.
        registry_of(session).inline_encoding = True
        target = TARGET_ALIASES.get(target.strip().lower(), target)
        kind = TARGET_ALIASES.get(kind.strip().lower(), kind)
        found = present_matches(
            find_matches(session, SYSTEM_VIEWER, kind, factor_id, target, limit, method)
        )
    if as_json:
        typer.echo(json.dumps(found.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    title = f"{found.source_title} → {found.target}"
    console.print(matches_table(found.items, title), highlight=False)


@reports_errors
def reindex(
    check: bool = typer.Option(
        False, "--check", help="Compare every indexed text with the database and repair."
    ),
) -> None:
    """Rebuilds every match index from the database (encoding what the vector store lacks)."""
    from factorlink.matching.live.indexes import registry_for

    database = Database(get_settings())
    try:
        registry = registry_for(database)
        table = Table("类型 kind", "条目 indexed", "缺失 missing", "多余 extra", "过期 stale")
        for kind in TARGETS:
            if check:
                report = registry.check(registry.get(kind), content=True)
                table.add_row(
                    kind.value,
                    *map(str, (report.indexed, report.missing, report.extra, report.stale)),
                )
                continue
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task(f"{kind.value}", total=None)

                def advance(n: int, task: TaskID = task, progress: Progress = progress) -> None:
                    progress.advance(task, n)

                index = registry.rebuild(kind, advance)
            table.add_row(kind.value, str(len(index.text.lexical)), "-", "-", "-")
        console.print(table)
    finally:
        database.dispose()


@reports_errors
def evaluate(
    dataset_dir: Path = typer.Argument(
        ...,
        exists=True,
        file_okay=False,
        help="A BEIR directory (corpus.jsonl, queries.jsonl, qrels/) or a scenario directory "
        "(pool/, leads/, qrels/).",
    ),
    method: str = typer.Option("all", "--method", help="bm25, dense, hybrid or all."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object of the figures."),
    tune: bool = typer.Option(
        False,
        "--tune",
        help="Scenarios: also learn each direction's text share and criterion weights, and "
        "report them with leave-one-out figures.",
    ),
    backend: str | None = typer.Option(
        None,
        "--backend",
        help="local or milvus (default: as FACTORLINK_SEARCH_URL says). milvus measures on a "
        "Milvus Lite file in a temporary folder, or on the configured Milvus server.",
    ),
    fusion: str = typer.Option(
        "engine",
        "--fusion",
        help="With milvus: engine (both retrievers' candidates fused by FactorLink) or rrf "
        "(Milvus's own hybrid_search with its RRF ranker; BEIR sets only).",
    ),
) -> None:
    """Measures the matching: nDCG@10, Recall and MRR of each method on a BEIR dataset, or
    nDCG@5 and hit@3 per lead type on judged corridor scenarios."""
    import tempfile

    from factorlink.matching.evaluation.scenarios import is_scenario_dir

    chosen = backend or ("milvus" if get_settings().uses_milvus else "local")
    if chosen not in ("local", "milvus"):
        raise typer.BadParameter("local or milvus", param_hint="--backend")
    if fusion not in ("engine", "rrf"):
        raise typer.BadParameter("engine or rrf", param_hint="--fusion")
    with tempfile.TemporaryDirectory(prefix="factorlink-eval-search-") as tmp:
        settings = get_settings()
        on_server = settings.uses_milvus and not settings.search_url.endswith(".db")
        if chosen == "milvus" and not on_server:
            # Never the configured Lite file: a server may hold it.
            settings = settings.model_copy(update={"search_url": f"{tmp}/search.db"})
        if chosen == "local":
            settings = settings.model_copy(update={"search_url": "local"})
        if is_scenario_dir(dataset_dir):
            _evaluate_scenarios(dataset_dir, method, as_json, tune, settings)
            return
        _evaluate_beir(dataset_dir, method, as_json, settings, fusion)


def _evaluate_beir(
    dataset_dir: Path, method: str, as_json: bool, settings: Settings, fusion: str
) -> None:
    from factorlink.matching.evaluation.beir import evaluate as run
    from factorlink.matching.evaluation.beir import load_dataset
    from factorlink.matching.live.encoders import get_encoder
    from factorlink.matching.live.milvus import MilvusIndex, connect, disconnect, is_lite
    from factorlink.matching.live.vectorstore import open_vector_store
    from factorlink.matching.retrieval.backend import SearchBackend
    from factorlink.matching.retrieval.dense import Encoder

    methods = list(Method) if method == "all" else [_method(method)]
    dataset = load_dataset(dataset_dir)
    encoder = None
    if any(m != Method.bm25 for m in methods):
        chosen = settings.matching_encoder if settings.matching_encoder != "none" else "e5"
        encoder = get_encoder(
            chosen, settings.matching_query_threads, settings.matching_bulk_threads
        )
    store = open_vector_store(settings) if encoder else None
    client = connect(settings.search_url) if settings.uses_milvus else None
    make = None
    if client is not None:
        name = f"{settings.search_collection_prefix}_eval_{dataset.name}".replace("-", "_")

        def make(encoder: Encoder | None) -> SearchBackend:
            return MilvusIndex(client, name, encoder, fusion=fusion)

    try:
        with Progress(console=console, transient=True, disable=as_json) as progress:
            task = progress.add_task("encoding corpus", total=len(dataset.doc_ids))
            results = run(
                dataset, methods, encoder, store, lambda n: progress.advance(task, n), make
            )
    finally:
        if store is not None:
            store.close()
        if client is not None:
            if not is_lite(settings.search_url):
                client.drop_collection(name)
            disconnect(client, settings.search_url)
    if as_json:
        typer.echo(json.dumps(results, indent=2))
        return
    table = Table("method", "nDCG@10", "Recall@10", "Recall@100", "MRR@10", title=dataset.name)
    for name, figures in results.items():
        table.add_row(
            name, *(f"{figures[k]:.4f}" for k in ("ndcg@10", "recall@10", "recall@100", "mrr@10"))
        )
    console.print(table)


def _evaluate_scenarios(
    folder: Path, method: str, as_json: bool, tune: bool, settings: Settings
) -> None:
    from factorlink.matching.evaluation import scenarios as sc
    from factorlink.matching.evaluation import tuning
    from factorlink.matching.fit.config import get_fit_config
    from factorlink.matching.service import blend

    chosen = Method.hybrid if method == "all" else _method(method)
    data = sc.load_scenarios(folder)
    with Progress(console=console, transient=True, disable=as_json) as progress:
        task = progress.add_task("matching leads", total=len(data.leads))
        found = sc.collect(
            data, settings, method=chosen, progress=lambda n: progress.advance(task, n)
        )
    config = get_fit_config()
    runs = {"configured": sc.summarise(sc.rank_all(found, lambda c: blend(c, config)), data.leads)}
    learned = None
    if tune:
        learned = tuning.tune(data.leads, found, config)
        runs["learned (dev)"] = sc.summarise(learned.dev, data.leads)
        runs["leave-one-out"] = sc.summarise(learned.held_out, data.leads)
    if as_json:
        out = runs["configured"] if not tune else runs
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    table = Table(
        "blend", "type", "leads", "nDCG@5", "hit@3", title=f"{data.name} ({chosen.value})"
    )
    for name, results in runs.items():
        for group, figures in results.items():
            table.add_row(
                name,
                group,
                f"{figures['leads']:.0f}",
                f"{figures['ndcg@5']:.4f}",
                f"{figures['hit@3']:.4f}",
            )
    console.print(table)
    if learned is not None:
        console.print(tuning.as_yaml(learned.blends), highlight=False)


def _method(value: str) -> Method:
    try:
        return Method(value)
    except ValueError:
        raise typer.BadParameter("bm25, dense, hybrid or all", param_hint="--method") from None


@reports_errors
def bench(
    sizes: str = typer.Option(
        "10000,100000,1000000", "--sizes", help="Corpus sizes, comma-separated."
    ),
    queries: int = typer.Option(200, "--queries", min=10, help="Queries timed per size."),
    backend: str = typer.Option(
        "local",
        "--backend",
        help="local, milvus (a Milvus Lite file in a temporary folder, in this process) or "
        "local,milvus for both side by side.",
    ),
) -> None:
    """Index build time, encode throughput, memory and query latency at each corpus size."""
    from factorlink.matching.evaluation.bench import run_bench

    backends = [b.strip() for b in backend.split(",") if b.strip()]
    if not backends or any(b not in ("local", "milvus") for b in backends):
        raise typer.BadParameter("local, milvus or local,milvus", param_hint="--backend")
    run_bench([int(s) for s in sizes.split(",") if s.strip()], queries, console, backends)
