"""What every page knows about its request: the viewer (from the session cookie), the language
and the form token; and `attempt`, which runs a change in its own unit of work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from factorlink.api.deps import SESSION_COOKIE, get_database
from factorlink.auth.repository import UserRepository
from factorlink.auth.service import viewer_for_token
from factorlink.auth.viewer import ANONYMOUS, Viewer
from factorlink.errors import NotAuthenticated
from factorlink.web import csrf
from factorlink.web.i18n import language_of, translate

T = TypeVar("T")


@dataclass
class WebRequest:
    """One page request: who asks, in which language, and the token its forms carry."""

    request: Request
    viewer: Viewer
    user_label: str | None
    lang: str
    csrf_seed: str
    new_presession: bool
    stale_session: bool

    @property
    def csrf_token(self) -> str:
        return csrf.token_for(self.csrf_seed)

    def t(self, text: str) -> str:
        """Translates a Chinese text into the page's language."""
        return translate(text, self.lang)

    def attempt(self, work: Callable[[Session, Viewer], T]) -> T:
        """Runs a change in its own unit of work: committed, or rolled back before any error
        (a typed business error) reaches the caller, who then shows it on the form."""
        with get_database(self.request).unit_of_work() as session:
            return work(session, self.viewer)


def _viewer(request: Request) -> tuple[Viewer, str | None, bool]:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return ANONYMOUS, None, False
    try:
        with get_database(request).unit_of_work() as session:
            viewer = viewer_for_token(session, token)
            user = UserRepository(session).get(viewer.user_id or 0)
            label = (user.display_name or user.username) if user is not None else None
            return viewer, label, False
    except NotAuthenticated:
        # An expired or revoked session: the visitor browses on as anonymous.
        return ANONYMOUS, None, True


def web_request(request: Request) -> WebRequest:
    """Builds the page context; a visitor without a session gets a pre-session form secret."""
    viewer, label, stale = _viewer(request)
    seed = None if stale else csrf.seed_of(request)
    web = WebRequest(
        request=request,
        viewer=viewer,
        user_label=label,
        lang=language_of(request),
        csrf_seed=seed or csrf.new_seed(),
        new_presession=seed is None,
        stale_session=stale,
    )
    request.state.web = web
    return web


Web = Annotated[WebRequest, Depends(web_request)]
