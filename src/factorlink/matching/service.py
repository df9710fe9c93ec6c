"""Matches of any factor: its best counterparts of a target kind, ranked and explained.

Text relevance (BM25 and embeddings fused, `indexes.py`) proposes a pool of candidates; the
structured fit (`fit.py`, rules per direction in `data/fit.yaml`) filters out those that miss a
hard criterion and scores the rest; the two blend into one score. Every match carries its reasons:
the words it shares with the source, the semantic similarity, and each criterion met or missed.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
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
    # When the matches were computed ahead (`factorlink recommend`); None: searched just now.
    computed_at: datetime | None = None


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
    # Recommendations computed ahead (`factorlink recommend --all`) answer where still fresh;
    # imported here: the recommend domain ranks with this module.
    from factorlink.recommend.service import stored_ranking

    stored = stored_ranking(session, viewer, source_kind, source, target_kind, limit, method)
    if stored is not None:
        scored, computed_at = stored
    else:
        scored = score(session, viewer, source_kind, source, target_kind, limit, method)
        computed_at = None
    return MatchList(
        source_kind=source_kind.value,
        source_id=source.id,
        source_title=party_title(source_kind, source),
        target=target_kind.value,
        method=method.value,
        items=tuple(present(session, viewer, source_kind, source, target_kind, scored)),
        computed_at=computed_at,
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
    memo: Memo | None = None,
) -> list[Candidate]:
    """What text relevance proposes for a source, each judged by structured fit (unranked)."""
    memo = memo if memo is not None else Memo()
    query = _query(session, source_kind, source, memo)
    pool = registry_of(session).search(target_kind, query, depth, method)
    # An operator sees the leads of their own cities only: the query leaves the others out.
    ids = [hit.id for hit in pool]
    rows = memo.rows_of(session, target_kind, ids, viewer)
    config = fit_config_of_session(session)
    source_profile = _with_industry(session, memo.profile(source_kind, source))
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
            fit = assess(source_profile, memo.profile(target_kind, obj), config)
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


def pool_depth(limit: int) -> int:
    """How many candidates text relevance proposes for the fit to judge, for a wanted limit."""
    return max(POOL_MIN, POOL_FACTOR * max(1, min(limit, MAX_LIMIT)))


@dataclass(frozen=True)
class Scored:
    """A ranked counterpart and the evidence for it, as anyone would see it (`present` turns it
    into a `Match` for one viewer): raw scores, shared words, every criterion unreworded."""

    obj: Any
    score: float
    relevance: float
    lexical: float
    semantic: float | None
    fit: float | None
    terms: tuple[str, ...]
    criteria: tuple[Criterion, ...]


@dataclass
class Memo:
    """What rankings in one unit of work share (`factorlink recommend` ranks a batch of sources
    in one): counterpart rows, profiles and words, each read or computed once. A request ranks
    with a fresh one."""

    rows: dict[tuple[PartyKind, int], Any] = field(default_factory=dict)
    profiles: dict[tuple[PartyKind, int], Profile] = field(default_factory=dict)
    queries: dict[tuple[PartyKind, int], str] = field(default_factory=dict)
    # Words of a text, by the text (plain data: may outlive the unit of work, across batches).
    words: dict[str, list[str]] = field(default_factory=dict)

    def rows_of(
        self, session: Session, kind: PartyKind, ids: Sequence[int], viewer: Viewer
    ) -> dict[int, Any]:
        """The rows of these ids a viewer may match against (absent ones remembered too)."""
        wanted = [i for i in ids if (kind, i) not in self.rows]
        if wanted:
            found = MatchingRepository(session).by_ids(kind, wanted, viewer, on_show=True)
            for i in wanted:
                self.rows[(kind, i)] = found.get(i)
        return {i: obj for i in ids if (obj := self.rows[(kind, i)]) is not None}

    def profile(self, kind: PartyKind, obj: Any) -> Profile:
        """A row's fit profile."""
        key = (kind, obj.id)
        found = self.profiles.get(key)
        if found is None:
            found = self.profiles[key] = profile_of(kind.value, obj)
        return found

    def words_of(self, session: Session, text: str) -> list[str]:
        """The words of a text (a source's query, a counterpart's passage) for the words they
        share."""
        found = self.words.get(text)
        if found is None:
            cutter = get_word_cutter(registry_of(session).folder)
            found = self.words[text] = cutter.words(text)
        return found


def _query(session: Session, kind: PartyKind, source: Any, memo: Memo) -> str:
    key = (kind, source.id)
    found = memo.queries.get(key)
    if found is None:
        extra = _source_extra(session, kind, source)
        found = memo.queries[key] = query_text(kind, source, extra)[:MAX_QUERY_CHARS]
    return found


def score(
    session: Session,
    viewer: Viewer,
    source_kind: PartyKind,
    source: Any,
    target_kind: PartyKind,
    limit: int,
    method: Method = Method.hybrid,
    memo: Memo | None = None,
) -> list[Scored]:
    """Text relevance proposes, structured fit filters and scores, the blend ranks: the best
    `limit` counterparts with their evidence, before any viewer's masking."""
    memo = memo if memo is not None else Memo()
    limit = max(1, min(limit, MAX_LIMIT))
    found = candidates_for(
        session, viewer, source_kind, source, target_kind, pool_depth(limit), method, memo
    )
    config = fit_config_of_session(session)
    scored = [(value, c) for c in found if (value := blend(c, config)) is not None]
    scored.sort(key=lambda row: -row[0])
    query = _query(session, source_kind, source, memo)
    words = memo.words_of(session, query)
    # Industry names are judged as a criterion: shown as shared words only where nothing more
    # particular is shared (a fund's text is little else).
    names = industry_words()
    particular = [w for w in words if w not in names]
    out = []
    for value, candidate in scored[:limit]:
        obj, hit, fit = candidate.obj, candidate.hit, candidate.fit
        out.append(
            Scored(
                obj=obj,
                score=value,
                relevance=hit.relevance,
                lexical=hit.lexical,
                semantic=hit.cosine,
                fit=fit.score if fit is not None else None,
                terms=_terms(
                    target_kind,
                    particular,
                    words,
                    memo.words_of(session, passage_text(document(target_kind, obj))),
                ),
                criteria=fit.criteria if fit is not None else (),
            )
        )
    return out


def present(
    session: Session,
    viewer: Viewer,
    source_kind: PartyKind,
    source: Any,
    target_kind: PartyKind,
    scored: Sequence[Scored],
) -> list[Match]:
    """Ranked counterparts as one viewer sees them: contacts masked unless the viewer may see
    them, a company's tax withheld from the reasons likewise, scores rounded."""
    policy = ContactPolicy(session, viewer)
    preferred = set(getattr(source, "preferred_cities", None) or ())
    # A company's (or a lead's) tax shows in a reason only to those who may see its contact.
    source_open = source_kind not in TAXED or not policy.contact(source_kind, source).masked
    out = []
    for item in scored:
        obj = item.obj
        contact = policy.contact(target_kind, obj)
        target_open = target_kind not in TAXED or not contact.masked
        out.append(
            Match(
                kind=target_kind.value,
                id=obj.id,
                code=party_code(target_kind, obj),
                title=party_title(target_kind, obj),
                city=party_city(target_kind, obj),
                score=round(item.score, 4),
                relevance=round(item.relevance, 4),
                lexical=round(item.lexical, 4),
                semantic=round(item.semantic, 4) if item.semantic is not None else None,
                fit=round(item.fit, 4) if item.fit is not None else None,
                terms=item.terms,
                criteria=as_seen(item.criteria, source_open and target_open),
                contact_name=contact.name,
                contact_mobile=contact.mobile,
                contact_masked=contact.masked,
                outside_preferred_cities=bool(preferred) and not preferred & _cities(obj),
            )
        )
    return out


def rank(
    session: Session,
    viewer: Viewer,
    source_kind: PartyKind,
    source: Any,
    target_kind: PartyKind,
    limit: int,
    method: Method = Method.hybrid,
) -> list[Match]:
    """The best counterparts of a target kind for a source, searched now, as the viewer sees
    them."""
    scored = score(session, viewer, source_kind, source, target_kind, limit, method)
    return present(session, viewer, source_kind, source, target_kind, scored)


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
