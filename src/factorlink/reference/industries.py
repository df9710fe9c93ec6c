"""Industries and sub-fields, and the resolution of what people type to them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_LAST_SPLIT = re.compile(r"^(.+?)\s*[/／\-—>]\s*([^/／\-—>]+)$")


@dataclass(frozen=True)
class Industry:
    """One industry with its sub-fields."""

    code: str
    name: str
    name_en: str
    aliases: tuple[str, ...] = ()
    subfields: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndustryMatch:
    """A resolved industry and, where given, a sub-field."""

    industry: Industry
    subfield: str | None = None


@dataclass
class IndustryCatalog:
    """Every industry, with lookups by code, name, alias and sub-field."""

    industries: tuple[Industry, ...]
    _by_name: dict[str, Industry] = field(init=False, repr=False)
    _by_subfield: dict[str, Industry] = field(init=False, repr=False)
    _by_code: dict[str, Industry] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_code = {i.code: i for i in self.industries}
        self._by_name = {}
        self._by_subfield = {}
        for industry in self.industries:
            for alias in (industry.code, industry.name, industry.name_en, *industry.aliases):
                self._by_name[alias.strip().lower()] = industry
            for sub in industry.subfields:
                if sub in self._by_subfield:
                    raise ValueError(f"sub-field {sub!r} belongs to two industries")
                self._by_subfield[sub.lower()] = industry

    def get(self, code: str) -> Industry:
        """Returns the industry with this code; raises KeyError if there is none."""
        return self._by_code[code]

    def has(self, code: str) -> bool:
        """Tells whether an industry code exists."""
        return code in self._by_code

    def resolve(self, text: str) -> IndustryMatch | None:
        """Resolves "新材料", "碳纤维及复合材料" or "新材料/石墨烯" to an industry, or None."""
        cleaned = text.strip()
        if not cleaned:
            return None
        key = cleaned.lower()
        if key in self._by_name:
            return IndustryMatch(self._by_name[key])
        if key in self._by_subfield:
            industry = self._by_subfield[key]
            return IndustryMatch(industry, self._subfield_name(industry, key))
        split = _LAST_SPLIT.match(cleaned)
        if split is None:
            return None
        head = self.resolve(split.group(1))
        tail_text = split.group(2).strip()
        tail = self.resolve(tail_text)
        if head and tail and tail.industry == head.industry and tail.subfield:
            return tail
        if head and tail is None and head.subfield is None:
            # A sub-field the catalogue does not know yet is kept as typed.
            return IndustryMatch(head.industry, tail_text)
        return None

    @staticmethod
    def _subfield_name(industry: Industry, key: str) -> str:
        return next(s for s in industry.subfields if s.lower() == key)
