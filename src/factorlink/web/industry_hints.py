"""The hint under a form's industry field: what it accepts, and what the words typed are
understood as for search and matching (汽车零部件 → 新能源汽车/智能网联汽车). The words are
stored as typed; the hint never rewrites them."""

from __future__ import annotations

from factorlink.reference import get_industries
from factorlink.validation.parsers import normalize, split_multi
from factorlink.web.i18n import register, translate

# The fields that name industries (所属行业 of most kinds, 欢迎行业 and 投资行业).
INDUSTRY_FIELDS = frozenset({"industry", "industries"})
ACCEPTS = (
    "可填产业目录的名称、细分领域或常用说法(如 汽车零部件、锂电池),原文照样保存,匹配按产业目录。"
)
UNDERSTOOD = "按产业目录匹配为:"
UNKNOWN = "不在产业目录中:"
KEPT = "(原文照样保存)"

register(
    {
        ACCEPTS: (
            "Write a name from the industry catalogue, a sub-field or the usual words "
            "(汽车零部件, 锂电池): kept as typed, matched by the catalogue."
        ),
        UNDERSTOOD: "Matched by the catalogue as: ",
        UNKNOWN: "Not in the industry catalogue: ",
        KEPT: " (kept as you typed it)",
    }
)


def understood(value: str | None, lang: str = "zh") -> str | None:
    """What the typed industries are matched as, in the page's language: "汽车零部件 →
    新能源汽车/智能网联汽车、新材料", and the words the catalogue does not know; None for
    nothing typed."""
    parts = split_multi(value or "")
    if not parts:
        return None
    catalog = get_industries()
    en = lang == "en"
    found, unknown = [], []
    for typed in parts:
        match = catalog.resolve(normalize(typed))
        if match is None:
            unknown.append(typed)
            continue
        name = match.industry.name_en if en else match.industry.name
        named = f"{name}/{match.subfield}" if match.subfield else name
        plain = typed in (match.industry.name, named) and not en
        found.append(named if plain else f"{typed} → {named}")
    joined = ", " if en else "、"
    said = []
    if found:
        said.append(translate(UNDERSTOOD, lang) + joined.join(found) + translate(KEPT, lang))
    if unknown:
        said.append(translate(UNKNOWN, lang) + joined.join(unknown))
    return ("; " if en else ";").join(said)
