"""The generic repository's helpers: LIKE patterns that take the searched text literally."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factorlink.db.session import Database
from factorlink.kit.repository import escape_like
from factorlink.organization.models import Organization
from tests.factories import MakeOrganization


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("石墨烯", "石墨烯"),
        ("50%", "50\\%"),
        ("a_b", "a\\_b"),
        ("C:\\data", "C:\\\\data"),
        ("\\%_", "\\\\\\%\\_"),
    ],
)
def test_escape_like_escapes_the_wildcards_and_the_escape_itself(text: str, escaped: str) -> None:
    assert escape_like(text) == escaped


def test_a_pattern_of_escaped_text_matches_only_the_text(
    database: Database, make_org: MakeOrganization
) -> None:
    make_org("增长50%有限公司")
    make_org("增长500有限公司")
    make_org("甲_乙有限公司")
    make_org("甲乙丙有限公司")

    def names(text: str) -> list[str]:
        stmt = select(Organization.name).where(
            Organization.name.like(f"%{escape_like(text)}%", escape="\\")
        )
        with database.unit_of_work() as session:
            return sorted(session.scalars(stmt))

    assert names("50%") == ["增长50%有限公司"]
    assert names("甲_乙") == ["甲_乙有限公司"]
