"""Matches of any factor: its best counterparts of a target kind, ranked and explained.

Text relevance (BM25 and embeddings fused, `indexes.py`) proposes a pool of candidates; the
structured fit (`fit.py`, rules per direction in `data/fit.yaml`) filters out those that miss a
hard criterion and scores the rest; the two blend into one score. Every match carries its reasons:
the words it shares with the source, the semantic similarity, and each criterion met or missed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from factorlink.auth import access
from factorlink.auth.viewer import Viewer
from factorlink.errors import InvalidInput, NotFound
from factorlink.introduction.models import PartyKind
from factorlink.introduction.parties import party_city, party_code, party_owner, party_title
from factorlink.kinds.registry import kind_of
from factorlink.lead.models import Lead, LeadType
from factorlink.matching.disclosure import as_seen
from factorlink.matching.documents import document, query_text
from factorlink.matching.fit.assess import Criterion, Fit, FitConfig, assess
from factorlink.matching.fit.config import fit_config_of, get_fit_config
from factorlink.matching.fit.needs import IndustryGuesser
from factorlink.matching.fit.profile import Profile
from factorlink.matching.live.indexes import registry_of
from factorlink.matching.live.terms import get_word_cutter, industry_words
from factorlink.matching.profiles import profile_of
from factorlink.matching.repository import MatchingRepository
from factorlink.matching.retrieval.engine import Method, passage_text
from factorlink.matching.retrieval.fusion import Fused
from factorlink.matching.retrieval.text import shared_terms
from factorlink.privacy.policy import ContactPolicy

# Which kinds each kind is matched to (the directions).
TARGETS: dict[PartyKind, tuple[PartyKind, ...]] = {
    PartyKind.demand: (PartyKind.achievement, PartyKind.expert),
    PartyKind.achievement: (PartyKind.demand, PartyKind.organization, PartyKind.capital),
    PartyKind.organization: (PartyKind.capital, PartyKind.carrier),
    PartyKind.lead: (PartyKind.achievement, PartyKind.expert, PartyKind.capital, PartyKind.carrier),
    PartyKind.carrier: (PartyKind.organization, PartyKind.lead),
    PartyKind.capital: (PartyKind.achievement, PartyKind.organization),
    PartyKind.expert: (PartyKind.demand,),
}
# The kinds whose rows carry an annual tax, a figure shown only with the contact.
TAXED = frozenset({PartyKind.organization, PartyKind.lead})
# What a lead of each type is looking for.
LEAD_TARGETS: dict[LeadType, tuple[PartyKind, ...]] = {
    LeadType.technology: (PartyKind.achievement, PartyKind.expert),
    LeadType.space: (PartyKind.carrier,),
    LeadType.capital: (PartyKind.capital,),
}
# Text proposes this many candidates per wanted match (at least POOL_MIN) for the fit to judge.
POOL_FACTOR = 10
POOL_MIN = 100
MAX_LIMIT = 50
# Longer source texts are cut: the first few thousand characters say what a factor is about.
MAX_QUERY_CHARS = 4000


@dataclass(frozen=True)
class Match:
    """A counterpart, its score, the evidence for it, and its contact as the viewer may see it."""

    kind: str
    id: int
    code: str
    title: str
    city: str | None
    score: float
    relevance: float
    lexical: float
    semantic: float | None
    fit: float | None
    terms: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    contact_name: str | None
    contact_mobile: str | None
    contact_masked: bool
    outside_preferred_cities: bool = False


@dataclass(frozen=True)
class MatchList:
    """The matches of one source for one target kind."""

    source_kind: str
    source_id: int
    source_title: str
    target: str
    method: str
    items: tuple[Match, ...]


def targets_for(kind: str) -> list[str]:
    """The kinds a kind can be matched to."""
    return [t.value for t in TARGETS.get(PartyKind(kind), ())] if kind in _KINDS else []


_KINDS = {k.value for k in PartyKind}


def find_matches(
    session: Session,
    viewer: Viewer,
    kind: str,
    id: int,
    target: str,
    limit: int = 10,
    method: Method = Method.hybrid,
) -> MatchList:
    """The best counterparts of a target kind for one factor, explained."""
    source_kind, target_kind = _direction(kind, target)
    if target_kind == PartyKind.lead:
        _require_staff_for_leads(viewer)
    source = _load_source(session, viewer, source_kind, id)
    items = rank(session, viewer, source_kind, source, target_kind, limit, method)
    return MatchList(
        source_kind=source_kind.value,
        source_id=source.id,
        source_title=party_title(source_kind, source),
        target=target_kind.value,
        method=method.value,
        items=tuple(items),
    )


def match_for_lead(session: Session, viewer: Viewer, lead: Lead, limit: int = 10) -> list[Match]:
    """A lead's best counterparts among what its type asks for, best first."""
    found: list[Match] = []
    for target in LEAD_TARGETS[lead.lead_type]:
        found.extend(rank(session, viewer, PartyKind.lead, lead, target, limit))
    found.sort(key=lambda m: -m.score)
    return found[:limit]


@dataclass(frozen=True)
class Candidate:
    """A counterpart text proposed, with its structured fit (None where a direction has none)."""

    obj: Any
    code: str
    hit: Fused
    fit: Fit | None
    # (source kind, target kind): which rules judged it and which text share blends it.
    direction: tuple[str, str]


def candidates_for(
    session: Session,
    viewer: Viewer,
    source_kind: PartyKind,
    source: Any,
    target_kind: PartyKind,
    depth: int,
    method: Method = Method.hybrid,
) -> list[Candidate]:
    """What text relevance proposes for a source, each judged by structured fit (unranked)."""
    extra = _source_extra(session, source_kind, source)
    query = query_text(source_kind, source, extra)[:MAX_QUERY_CHARS]
    pool = registry_of(session).search(target_kind, query, depth, method)
    # An operator sees the leads of their own cities only: the query leaves the others out.
    ids = [hit.id for hit in pool]
    rows = MatchingRepository(session).by_ids(target_kind, ids, viewer, on_show=True)
    config = fit_config_of_session(session)
    source_profile = _with_industry(session, profile_of(source_kind.value, source))
    owner = party_owner(source_kind, source)
    found: list[Candidate] = []
    for hit in pool:
        obj = rows.get(hit.id)
        if obj is None or (source_kind == target_kind and obj.id == source.id):
            continue
        if owner is not None and party_owner(target_kind, obj) == owner:
            continue  # an organisation's own factors are not its counterparts
        fit = None
        if config.supports(source_kind.value, target_kind.value):
            fit = assess(source_profile, profile_of(target_kind.value, obj), config)
        direction = (source_kind.value, target_kind.value)
        found.append(Candidate(obj, party_code(target_kind, obj), hit, fit, direction))
    return found


def fit_config_of_session(session: Session) -> FitConfig:
    """The fit rules of the settings of the database a session belongs to (the app's, or the
    command's)."""
    return fit_config_of(registry_of(session).database.settings)


# One guesser per encoder and industry catalogue.
_GUESSERS: dict[tuple[int, int], IndustryGuesser] = {}
_GUESSERS_LOCK = threading.Lock()


def _with_industry(session: Session, profile: Profile) -> Profile:
    """A lead whose words name no industry gets the one its text is closest to in meaning."""
    if profile.kind != "lead" or profile.industries:
        return profile
    encoder = registry_of(session).encoder
    if encoder is None:
        return profile
    industries = fit_config_of_session(session).industries
    with _GUESSERS_LOCK:
        key = (id(encoder), id(industries))
        guesser = _GUESSERS.get(key)
        if guesser is None:
            guesser = _GUESSERS[key] = IndustryGuesser(encoder, industries)
    code = guesser.guess(" ".join(t for t in (profile.purpose, profile.need_text) if t))
    if code is None:
        return profile
    return replace(profile, industries=(code,), industries_inferred=True)


def blend(candidate: Candidate, config: FitConfig | None = None) -> float | None:
    """A candidate's score — text relevance and structured fit in the direction's shares — or
    None when it misses a hard criterion."""
    fit = candidate.fit
    if fit is not None and not fit.passed:
        return None
    if fit is None or fit.score is None:
        return candidate.hit.relevance
    share = (config or get_fit_config()).text_share(*candidate.direction)
    return share * candidate.hit.relevance + (1 - share) * fit.score


def rank(
    session: Session,
    viewer: Viewer,
    source_kind: PartyKind,
    source: Any,
    target_kind: PartyKind,
    limit: int,
    method: Method = Method.hybrid,
) -> list[Match]:
    """Text relevance proposes, structured fit filters and scores, the blend ranks."""
    limit = max(1, min(limit, MAX_LIMIT))
    depth = max(POOL_MIN, POOL_FACTOR * limit)
    found = candidates_for(session, viewer, source_kind, source, target_kind, depth, method)
    config = fit_config_of_session(session)
    scored = [(score, c) for c in found if (score := blend(c, config)) is not None]
    scored.sort(key=lambda row: -row[0])
    extra = _source_extra(session, source_kind, source)
    query = query_text(source_kind, source, extra)[:MAX_QUERY_CHARS]
    cutter = get_word_cutter(registry_of(session).folder)
    words = cutter.words(query)
    # Industry names are judged as a criterion: shown as shared words only where nothing more
    # particular is shared (a fund's text is little else).
    names = industry_words()
    particular = [w for w in words if w not in names]
    policy = ContactPolicy(session, viewer)
    preferred = set(getattr(source, "preferred_cities", None) or ())
    # A company's (or a lead's) tax shows in a reason only to those who may see its contact.
    source_open = source_kind not in TAXED or not policy.contact(source_kind, source).masked
    out = []
    for score, candidate in scored[:limit]:
        obj, hit, fit = candidate.obj, candidate.hit, candidate.fit
        contact = policy.contact(target_kind, obj)
        target_open = target_kind not in TAXED or not contact.masked
        text = passage_text(document(target_kind, obj))
        out.append(
            Match(
                kind=target_kind.value,
                id=obj.id,
                code=candidate.code,
                title=party_title(target_kind, obj),
                city=party_city(target_kind, obj),
                score=round(score, 4),
                relevance=round(hit.relevance, 4),
                lexical=round(hit.lexical, 4),
                semantic=round(hit.cosine, 4) if hit.cosine is not None else None,
                fit=round(fit.score, 4) if fit is not None and fit.score is not None else None,
                terms=_terms(target_kind, particular, words, cutter.words(text)),
                criteria=as_seen(fit.criteria, source_open and target_open)
                if fit is not None
                else (),
                contact_name=contact.name,
                contact_mobile=contact.mobile,
                contact_masked=contact.masked,
                outside_preferred_cities=bool(preferred) and not preferred & _cities(obj),
            )
        )
    return out


def _terms(
    kind: PartyKind, particular: list[str], words: list[str], document: list[str]
) -> tuple[str, ...]:
    found = shared_terms(particular, document)
    if not found and kind_of(kind).names_only:
        found = shared_terms(words, document)
    return tuple(found)


def _cities(obj: Any) -> set[str]:
    """Every city a factor is in or serves."""
    cities = {getattr(obj, "city", None), *(getattr(obj, "cities", None) or ())}
    return {c for c in cities if c}


def _direction(kind: str, target: str) -> tuple[PartyKind, PartyKind]:
    if kind not in _KINDS:
        raise InvalidInput(f"未知的要素类型 {kind}", message_en=f"unknown kind {kind!r}")
    source_kind = PartyKind(kind)
    allowed = TARGETS.get(source_kind, ())
    if target not in _KINDS or PartyKind(target) not in allowed:
        names = ", ".join(t.value for t in allowed)
        raise InvalidInput(
            f"{kind} 只能匹配: {names}",
            message_en=f"a {kind} is matched to: {names} (not {target!r})",
            errors=[
                {"field": "target", "reason": f"应为 {names} 之一", "reason_en": f"one of {names}"}
            ],
        )
    return source_kind, PartyKind(target)


def _require_staff_for_leads(viewer: Viewer) -> None:
    """Leads are for staff: a visitor must log in, a member is refused, before anything is read."""
    access.require_staff(
        viewer, ("只有运营人员可以查看线索匹配", "Only operators may match against leads")
    )


def _load_source(session: Session, viewer: Viewer, kind: PartyKind, id_: int) -> Any:
    if kind == PartyKind.lead:
        # Imported here: lead intake imports this module for its answers.
        from factorlink.lead.service import LeadService

        return LeadService(session, viewer).get(id_)
    obj = MatchingRepository(session).get(kind, id_)
    if obj is None:
        raise NotFound(f"{kind.value} {id_} 不存在", message_en=f"{kind.value} {id_} not found")
    return obj


def _source_extra(session: Session, kind: PartyKind, source: Any) -> list[str]:
    """An enterprise's demands say what it is after; other kinds speak for themselves."""
    if kind != PartyKind.organization:
        return []
    return MatchingRepository(session).demand_terms(source.id)
