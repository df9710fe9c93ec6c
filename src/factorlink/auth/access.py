"""Who may act: the two rules every edge and service shares, with their words (pure).

Each place that needs a logged-in user or a member of staff calls these instead of raising its own
copy, so the rule and its message are written once; a place may name the action in its message
("请先登录后再发布", "仅运营人员可导入导出").
"""

from __future__ import annotations

from factorlink.auth.viewer import Viewer
from factorlink.errors import NotAuthenticated, PermissionDenied

LOGIN_REQUIRED = ("请先登录", "Login required")
STAFF_ONLY = ("仅运营人员可操作", "Operators and admins only")


def require_user(viewer: Viewer, words: tuple[str, str] = LOGIN_REQUIRED) -> int:
    """The viewer's user id; a visitor is asked to log in (401)."""
    if viewer.user_id is None:
        raise NotAuthenticated(words[0], message_en=words[1])
    return viewer.user_id


def require_staff(viewer: Viewer, words: tuple[str, str] = STAFF_ONLY) -> None:
    """An admin or an operator: a visitor is asked to log in (401), anyone else refused (403)."""
    require_user(viewer)
    if not viewer.is_staff:
        raise PermissionDenied(words[0], message_en=words[1])
