"""Builds every file of the sample set, and writes them as JSON Lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sample import experts, introductions, leads, listings, market, orgs, vocab
from sample.rand import People

LEAD_KEYS = (
    "need",
    "purpose",
    "annual_tax_wan",
    "company",
    "contact_name",
    "contact_mobile",
    "lead_type",
    "preferred_cities",
    "industry",
    "consent",
    "created_at",
)


def build() -> dict[str, list[dict[str, Any]]]:
    """The rows of every file, by file name."""
    people = People("people")
    organizations = orgs.build(people)
    topics = vocab.topics()
    achievements = listings.achievement_rows(topics, organizations, people)
    demands = listings.demand_rows(topics, organizations, people)
    capitals = market.capital_rows(organizations, people)
    carriers = market.carrier_rows(people)
    expert_list = experts.expert_rows(topics, organizations, people)
    lead_list = leads.build(topics, capitals, carriers, organizations, people)
    intros = introductions.build(
        demands, achievements, organizations, capitals, expert_list, lead_list
    )
    return {
        "organizations.jsonl": [o.row() for o in organizations],
        "achievements.jsonl": [a.row for a in achievements],
        "demands.jsonl": [d.row for d in demands],
        "capital.jsonl": [c.row for c in capitals],
        "carriers.jsonl": [c.row for c in carriers],
        "experts.jsonl": [e.row for e in expert_list],
        "leads.jsonl": [{k: lead.body[k] for k in LEAD_KEYS} for lead in lead_list],
        "introductions.jsonl": intros,
    }


def write(files: dict[str, list[dict[str, Any]]], out: Path) -> None:
    """Writes each file as UTF-8 JSON Lines, one object a line."""
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        lines = [json.dumps(row, ensure_ascii=False) + "\n" for row in rows]
        (out / name).write_text("".join(lines), encoding="utf-8", newline="\n")
