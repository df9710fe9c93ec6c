"""Shapes of the news API."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class NewsTagOut(BaseModel):
    kind: str  # city, district, organization, industry, amount, figure
    value: str
    label: str
    sentence: str | None = None


class NewsLinkOut(BaseModel):
    kind: str
    kind_label: str
    id: int
    code: str
    title: str
    city: str | None
    named: bool  # the article names it (else the text index found it)
    score: float


class NewsSummaryOut(BaseModel):
    id: int
    title: str
    published: date | None
    source: str | None
    url: str | None
    story_id: int | None
    copies: int  # other stored copies of the same story
    cities: list[str]
    snippet: str


class NewsCopyOut(BaseModel):
    id: int
    title: str
    source: str | None
    url: str | None
    published: date | None


class NewsArticleOut(NewsSummaryOut):
    author: str | None
    body: str
    tags: list[NewsTagOut]
    figures: list[NewsTagOut]
    links: list[NewsLinkOut]
    related: list[NewsSummaryOut]
    related_titles: list[str]  # as the page itself listed them
    copies_of_story: list[NewsCopyOut]


class IngestedOut(BaseModel):
    id: int
    title: str
    story_id: int | None


class SkippedOut(BaseModel):
    file: str
    reason: str


class IngestOut(BaseModel):
    added: list[IngestedOut]
    unchanged: list[str]
    skipped: list[SkippedOut]
