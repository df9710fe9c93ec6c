"""Builders of listings, leads and introductions, through the services, for the tests of leads,
matching, introductions and statistics. Each call is its own committed unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from factorlink.achievement.service import AchievementService
from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.capital.service import CapitalService
from factorlink.carrier.service import CarrierService
from factorlink.db.session import Database
from factorlink.demand.service import DemandService
from factorlink.expert.service import ExpertService
from factorlink.introduction.models import IntroductionStatus, PartyKind
from factorlink.introduction.service import IntroductionService
from factorlink.lead.service import LeadService
from factorlink.listing.service import ListingService
from factorlink.organization.service import OrganizationService

ADMIN = Viewer(user_id=0, role=Role.admin)

SERVICES: dict[str, type[ListingService[Any]]] = {
    "organization": OrganizationService,
    "achievement": AchievementService,
    "demand": DemandService,
    "capital": CapitalService,
    "carrier": CarrierService,
    "expert": ExpertService,
}

CONTACT = {"contact_name": "李晓明", "contact_mobile": "13812345678"}

EXAMPLES: dict[str, dict[str, Any]] = {
    "achievement": {
        "title": "高导热石墨烯复合散热膜制备技术",
        "abstract": "采用化学气相沉积与热压复合工艺,面内导热系数≥1500 W/(m·K),已完成中试。",
        "keywords": "石墨烯、散热膜、导热",
        "industry": "新材料",
        "organization": "示例大学",
        "city": "杭州",
        **CONTACT,
    },
    "demand": {
        "title": "电池包轻量化散热方案",
        "description": "现有铝制液冷板重量偏大,需减重20%以上。",
        "industry": "新能源汽车",
        "organization": "嘉兴示例新能源有限公司",
        "city": "嘉兴",
        **CONTACT,
    },
    "capital": {
        "name": "G60科创走廊硬科技天使基金",
        "kind": "VC/PE",
        "stages": "天使轮、A轮",
        "industries": "人工智能、集成电路",
        "ticket": "500-3000",
        "cities": "松江、杭州",
        **CONTACT,
    },
    "carrier": {
        "name": "松江综保区标准厂房3号楼",
        "kind": "厂房",
        "city": "松江",
        "area": "5000㎡",
        "industries": "高端装备、新材料",
        **CONTACT,
    },
    "expert": {
        "name": "陈立新",
        "affiliation": "示例大学材料学院",
        "fields": "石墨烯、复合材料",
        "services": "技术咨询、工艺诊断",
        "city": "合肥",
        **CONTACT,
    },
    "organization": {
        "name": "松江示例新材料有限公司",
        "kind": "企业",
        "city": "松江",
        "industry": "新材料",
        **CONTACT,
    },
}

LEAD = {
    "need": "寻找石墨烯散热膜技术,用于手机散热模组",
    "purpose": "新产品导入",
    "annual_tax_wan": "500万",
    "company": "松江示例电子有限公司",
    "contact_name": "张伟",
    "contact_mobile": "13912345678",
    "lead_type": "技术",
    "consent": True,
}


def add_listing(database: Database, kind: str, **cells: Any) -> int:
    """Creates a listing of a kind from the example cells, overridden by `cells`."""
    with database.unit_of_work() as session:
        obj = SERVICES[kind](session, ADMIN).create({**EXAMPLES[kind], **cells})
        return int(obj.id)


def add_lead(database: Database, created_at: datetime | None = None, **cells: Any) -> int:
    """Stores a lead from the example message, overridden by `cells`."""
    with database.unit_of_work() as session:
        lead = LeadService(session, ADMIN).submit({**LEAD, **cells}, created_at=created_at)
        return int(lead.id)


def introduce(
    database: Database,
    a: tuple[str, int],
    b: tuple[str, int],
    steps: Sequence[tuple[str, datetime, dict[str, Any]]] = (),
    *,
    at: datetime | None = None,
) -> int:
    """Introduces A to B at a time, then takes the given steps (to, at, terms)."""
    with database.unit_of_work() as session:
        service = IntroductionService(session, ADMIN)
        intro = service.create((PartyKind(a[0]), a[1]), (PartyKind(b[0]), b[1]), at=at)
        for to, when, terms in steps:
            service.transition(intro.id, IntroductionStatus(to), at=when, **terms)
        return int(intro.id)
