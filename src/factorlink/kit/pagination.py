"""Page parameters and the page envelope every list endpoint returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")

MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000  # keeps offsets well inside a 64-bit integer


@dataclass(frozen=True)
class PageParams:
    """A 1-based page number and a page size."""

    page: int = 1
    page_size: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


class Page(BaseModel, Generic[T]):
    """One page of results and the total across all pages."""

    items: list[T]
    total: int
    page: int
    page_size: int
