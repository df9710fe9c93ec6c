"""The two access rules every edge and service shares, and their words."""

from __future__ import annotations

import pytest

from factorlink.auth.access import require_staff, require_user
from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.errors import NotAuthenticated, PermissionDenied

VISITOR = Viewer()
MEMBER = Viewer(user_id=3, role=Role.member, organization_id=1)
OPERATOR = Viewer(user_id=4, role=Role.operator, city_scope=("hefei",))


def test_a_visitor_is_asked_to_log_in() -> None:
    with pytest.raises(NotAuthenticated) as caught:
        require_user(VISITOR)
    assert caught.value.message == "请先登录" and caught.value.message_en == "Login required"
    with pytest.raises(NotAuthenticated):
        require_staff(VISITOR)
    assert require_user(MEMBER) == 3


def test_staff_only_refuses_members_in_the_words_given() -> None:
    with pytest.raises(PermissionDenied) as caught:
        require_staff(MEMBER, ("仅运营人员可导入导出", "Operators and admins only"))
    assert caught.value.message == "仅运营人员可导入导出"
    require_staff(OPERATOR)
