"""Industry news: articles (each in a story of its near-duplicates) and their tags."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factorlink.db.base import Base, IdMixin, StringList, TimestampMixin, UTCDateTime, utcnow


class NewsArticle(Base, IdMixin, TimestampMixin):
    """One collected article: what was extracted from its page, and the story it belongs to."""

    __tablename__ = "news_articles"

    # sha256 of the title and body with spaces removed: the same article is stored once.
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    url: Mapped[str | None] = mapped_column(String(2000), index=True)
    origin: Mapped[str] = mapped_column(String(500), nullable=False)  # file name or address
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    source: Mapped[str | None] = mapped_column(String(200), index=True)
    author: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, nullable=False)
    related_titles: Mapped[list[str]] = mapped_column(StringList(), default=list, nullable=False)
    # The id of the story's first article (its own id for the first one).
    story_id: Mapped[int | None] = mapped_column(Integer, index=True)

    tags: Mapped[list[NewsTag]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="NewsTag.id"
    )
    links: Mapped[list[NewsLink]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="NewsLink.id"
    )


class NewsTag(Base, IdMixin):
    """A city, district, organisation, industry, amount or figure an article names."""

    __tablename__ = "news_tags"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("news_articles.id", ondelete="CASCADE"), index=True, nullable=False
    )
    kind: Mapped[str] = mapped_column(String(20), index=True, nullable=False)
    value: Mapped[str] = mapped_column(String(200), index=True, nullable=False)
    label: Mapped[str] = mapped_column(String(200), nullable=False)
    sentence: Mapped[str | None] = mapped_column(Text)

    article: Mapped[NewsArticle] = relationship(back_populates="tags")


class NewsFetch(Base, IdMixin):
    """The validators a page was last fetched with, for a conditional GET next time."""

    __tablename__ = "news_fetches"

    url: Mapped[str] = mapped_column(String(2000), unique=True, nullable=False)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class NewsLink(Base, IdMixin):
    """A listing or organisation an article is about: named in it, or found by the matching
    engine over its text."""

    __tablename__ = "news_links"
    __table_args__ = (Index("ix_news_links_target", "kind", "target_id"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("news_articles.id", ondelete="CASCADE"), index=True, nullable=False
    )
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # a PartyKind value
    target_id: Mapped[int] = mapped_column(Integer, nullable=False)
    score: Mapped[float] = mapped_column(Float, nullable=False)
    named: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    article: Mapped[NewsArticle] = relationship(back_populates="links")
