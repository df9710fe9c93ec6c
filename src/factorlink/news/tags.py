"""Tags of an article: the corridor's cities and districts, organisations (known to the registry,
or unknown ones by their suffix), industries, amounts (亿元/万元) and figures (percentages,
counts), each figure with the sentence it comes from. Pure: the corridor, the industry catalogue
and the registry's organisation names are passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from factorlink.reference.industries import IndustryCatalog
from factorlink.reference.regions import Region


class TagKind(StrEnum):
    city = "city"
    district = "district"
    organization = "organization"
    industry = "industry"
    amount = "amount"
    figure = "figure"


@dataclass(frozen=True)
class Tag:
    kind: TagKind
    value: str  # a city or industry code, an organisation's name, a figure as written
    label: str  # what to show: the city's name, the figure as written
    sentence: str | None = None


_SENTENCE = re.compile(r"[^。!?！？;；\n]+[。!?！？;；]?")
_AMOUNT = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s*(?:亿|万)(?:美)?元")
_PERCENT = re.compile(r"[+\-−]?(?<![\d.])\d+(?:\.\d+)?\s*[%％]")
_COUNT = re.compile(
    r"(?<![\d.])\d+(?:\.\d+)?\s*(?:个|家|项|所|位|件|座|条|届|名|人|台)(?=[\u4e00-\u9fa5])"
)
_ORG_SUFFIXES = (
    "股份有限公司", "有限责任公司", "有限公司", "集团", "研究院", "研究所", "研究中心",
    "大学", "学院", "实验室", "创新中心", "联盟", "银行", "基金", "协会", "商会",
)  # fmt: skip
_ORG = re.compile(
    r"([\u4e00-\u9fa5A-Za-z0-9()（）]{2,24}?(?:" + "|".join(_ORG_SUFFIXES) + r"))"
    r"(?![)）]|股份|有限)"
)
# Words that start a clause rather than a name: "与浙江大学" names 浙江大学.
_LEADS = re.compile(
    r"^(?:与|和|及|同|由|在|对|向|为|是|于|等|携手|联合|包括|依托|来自|通过|会同|共建|签约)+"
)


def sentences(text: str) -> list[str]:
    """The text cut into sentences (。!? and line ends)."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _spellings(region: Region) -> list[tuple[str, str, str | None]]:
    """(spelling, city code, district or None), longest spelling first."""
    found: list[tuple[str, str, str | None]] = []
    for city in region.cities:
        for name in {city.name, *city.aliases}:
            if len(name) >= 2:
                found.append((name, city.code, None))
        for district in city.districts:
            stripped = district[:-1] if district.endswith(("区", "县", "市")) else district
            names = {district, *city.place(district).aliases}
            if len(stripped) >= 2:
                names.add(stripped)
            for name in names:
                found.append((name, city.code, district))
    return sorted(found, key=lambda f: -len(f[0]))


# Longer names that hold a corridor city's name but are another place: 克孜勒苏州 (Kizilsu, in
# Xinjiang), 苏州河 (Suzhou Creek, in Shanghai), 苏州街 (a Beijing street).
NOT_PLACES = ("克孜勒苏州", "苏州河", "苏州街")


def tag_places(text: str, region: Region) -> list[Tag]:
    """The corridor's cities and districts the text names (a district also tags its city)."""
    cities: dict[str, Tag] = {}
    districts: dict[str, Tag] = {}
    covered = [False] * len(text)
    for other in NOT_PLACES:
        for match in re.finditer(other, text):
            covered[match.start() : match.end()] = [True] * (match.end() - match.start())
    for spelling, code, district in _spellings(region):
        for match in re.finditer(re.escape(spelling), text):
            if any(covered[match.start() : match.end()]):
                continue
            for i in range(match.start(), match.end()):
                covered[i] = True
            city = region.city(code)
            cities.setdefault(code, Tag(TagKind.city, code, city.name))
            if district:
                districts.setdefault(
                    f"{code}:{district}", Tag(TagKind.district, f"{code}:{district}", district)
                )
    return list(cities.values()) + list(districts.values())


def tag_industries(text: str, catalog: IndustryCatalog) -> list[Tag]:
    """Industries whose name, alias or sub-field the text names."""
    found: dict[str, Tag] = {}
    for industry in catalog.industries:
        names = [industry.name, *industry.aliases, *industry.subfields]
        if any(len(n) >= 2 and n in text for n in names):
            found[industry.code] = Tag(TagKind.industry, industry.code, industry.name)
    return list(found.values())


class NameIndex:
    """The registry's organisation names, found in a text in one pass: names by their first two
    characters, so a text is checked only against the names that can start at each place."""

    def __init__(self, names: Iterable[str]) -> None:
        self._by_start: dict[str, list[str]] = {}
        for name in sorted({n for n in names if len(n) >= 4}, key=len, reverse=True):
            self._by_start.setdefault(name[:2], []).append(name)

    def find(self, text: str) -> list[str]:
        """The names the text holds, longest first where two start at one place."""
        found: list[str] = []
        i = 0
        while i < len(text) - 1:
            for name in self._by_start.get(text[i : i + 2], ()):
                if text.startswith(name, i):
                    found.append(name)
                    i += len(name) - 1
                    break
            i += 1
        return list(dict.fromkeys(found))


def tag_organizations(text: str, known: Iterable[str] | NameIndex) -> list[Tag]:
    """Organisations of the registry the text names, then unknown ones by their suffix."""
    index = known if isinstance(known, NameIndex) else NameIndex(known)
    found: dict[str, Tag] = {n: Tag(TagKind.organization, n, n) for n in index.find(text)}
    for match in _ORG.finditer(text):
        name = _LEADS.sub("", match.group(1))
        if len(name) < 5 or any(name in k or k in name for k in found):
            continue
        found[name] = Tag(TagKind.organization, name, name)
    return list(found.values())


def tag_figures(text: str) -> list[Tag]:
    """Amounts (亿元, 万元) and figures (percentages, counts) with their sentences."""
    tags: list[Tag] = []
    seen: set[tuple[TagKind, str]] = set()
    for sentence in sentences(text):
        for kind, pattern in ((TagKind.amount, _AMOUNT), (TagKind.figure, _PERCENT),
                              (TagKind.figure, _COUNT)):  # fmt: skip
            for match in pattern.finditer(sentence):
                written = re.sub(r"\s+", "", match.group(0)).replace("％", "%").replace("−", "-")
                if kind is TagKind.figure and written.endswith("%") and written[0] not in "+-":
                    before = sentence[max(0, match.start() - 6) : match.start()]
                    if re.search(r"(增长|增幅|提高|提升|上升|增加)", before):
                        written = "+" + written
                    elif re.search(r"(下降|下滑|降低|减少|降幅)", before):
                        written = "-" + written
                if (kind, written) in seen:
                    continue
                seen.add((kind, written))
                tags.append(Tag(kind, written, written, sentence))
    return tags


def tag_article(
    text: str,
    region: Region,
    catalog: IndustryCatalog,
    organizations: Iterable[str] | NameIndex = (),
) -> list[Tag]:
    """Every tag of an article's title and body."""
    return [
        *tag_places(text, region),
        *tag_organizations(text, organizations),
        *tag_industries(text, catalog),
        *tag_figures(text),
    ]
