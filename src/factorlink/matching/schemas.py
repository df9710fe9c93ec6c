"""API shapes of matches: each with its score and the reasons for it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class CriterionOut(BaseModel):
    """One structured criterion of a match, met, missed or not applicable, and why."""

    key: str = Field(description="industry, subfield, distance, budget, readiness, ...")
    label: str
    label_en: str
    met: bool | None = Field(description="None: one side lacks the data, so it does not count")
    score: float = Field(ge=0, le=1)
    weight: float
    hard: bool = Field(description="A missed hard criterion removes the candidate")
    detail: str
    detail_en: str
    binding: bool = Field(
        default=True,
        description="False: a miss is a reason shown, never a filter (a threshold for whole "
        "buildings missed by a partial lease, a neighbouring investment stage)",
    )
    applies: bool = Field(
        default=True, description="False: one side does not state what this criterion needs"
    )


class MatchOut(BaseModel):
    """A counterpart, how well it fits (0..1), and the evidence."""

    kind: str
    kind_label: str
    id: int
    code: str
    title: str
    city: str | None
    city_name: str | None
    score: float = Field(description="Blend of text relevance (70%) and structured fit (30%)")
    relevance: float = Field(description="Text relevance, 0..1: mean of lexical and semantic")
    lexical: float = Field(description="BM25 as a share of the most the query can score, 0..1")
    semantic: float | None = Field(description="Cosine similarity of the sentence embeddings")
    fit: float | None = Field(description="Weighted structured fit, 0..1; None if nothing applies")
    terms: list[str] = Field(description="Words the source and the match share")
    criteria: list[CriterionOut]
    contact_name: str | None
    contact_mobile: str | None
    contact_masked: bool
    outside_preferred_cities: bool = Field(
        default=False, description="For a lead: the match lies outside its preferred cities"
    )


class MatchListOut(BaseModel):
    """The matches of one factor for one target kind, best first."""

    source_kind: str
    source_id: int
    source_title: str
    target: str
    method: str
    items: list[MatchOut]
    pending_vectors: int = Field(
        default=0,
        ge=0,
        description="Factors of the target kind still waiting for their sentence vectors "
        "(newly posted or imported: found by their words alone until encoded, in minutes)",
    )
    complete: bool = Field(
        default=True,
        description="Every factor of the target kind takes part fully (no vector pending)",
    )
    computed_at: datetime | None = Field(
        default=None,
        description="When these matches were computed ahead (`factorlink recommend --all`, "
        "shown while fresh and unchanged); null: searched for this request",
    )
