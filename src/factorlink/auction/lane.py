"""The bid lane: a well-formed POST /api/v1/lots/{id}/bids answered at the app's edge.

Bids are the busiest request by far, and the middleware, router and FastAPI's parameter
machinery cost more of a bid than deciding it. The lane is the outermost of the app's own
middleware: a bid in the usual shape (a bearer token, a JSON body the route's model `BidIn`
accepts, a valid Idempotency-Key, a lot id in range, no query string, a declared length within
the body limit) is read, checked with the same model and rules as the route, stamped with its
receipt time and handed to the bid desk here. Its answer is what the route gives: the receipt
(201, `Idempotent-Replayed` on a replay) or the refusal as problem details, with the security
headers every answer carries, under the app's settings.

Anything else goes on, unchanged and with its body, to the route (`endpoints.place_bid`), which
answers as it always has: a cookie's CSRF check, the 413 of a body over the limit, the 422
naming what is malformed. The route also stays the one description of the request (OpenAPI).
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import State
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from factorlink.api.middleware import security_headers, with_security_headers
from factorlink.api.problems import business_problem
from factorlink.auction.bidding import BidRequest
from factorlink.auction.clock import Clock
from factorlink.auction.desk import BidDesk
from factorlink.auction.money import to_yuan
from factorlink.auction.schemas import BidIn
from factorlink.config import Settings, settings_scope
from factorlink.errors import FactorLinkError
from factorlink.kit.ids import MAX_ID

# The Idempotency-Key as the route's header parameter takes it (1 to 100 printable ASCII).
_KEY = re.compile(rb"[\x21-\x7e]{1,100}")


class BidLane:
    """The middleware (see the module): POST {prefix}/lots/{id}/bids, when well-formed."""

    def __init__(self, app: ASGIApp, *, state: State, settings: Settings, prefix: str) -> None:
        self.app = app
        self.state = state  # the app's state: its bid desk and auction clock (`live.install`)
        self.settings = settings
        self.max_body = settings.max_body_bytes
        self._path = re.compile(re.escape(prefix) + r"/lots/([0-9]{1,10})/bids")
        self._headers = [  # the security headers of an API answer (SecurityHeaders')
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in security_headers(prefix, hsts=settings.secure_cookies).items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = None
        if scope["type"] == "http" and scope["method"] == "POST":
            found = self._path.fullmatch(scope["path"])
        if found is None or scope.get("query_string") or scope.get("root_path"):
            await self.app(scope, receive, send)
            return
        clock: Clock = self.state.auction_clock
        received_at = clock()  # stamped on arrival, before the body is read
        lot_id = int(found.group(1))
        shape = _shape(scope["headers"], self.max_body) if 1 <= lot_id <= MAX_ID else None
        if shape is None:
            await self.app(scope, receive, send)
            return
        token, key = shape
        body = await _read(receive)
        if body is None:
            return  # the client went away before its bid was complete: nothing to answer
        amount = _amount(body)
        if amount is None:
            await self.app(scope, _replay(body, receive), send)
            return
        with settings_scope(self.settings):
            try:
                request = BidRequest(token, lot_id, to_yuan(amount, "amount_wan"), key, received_at)
            except FactorLinkError as exc:
                await self._refuse(scope, receive, send, exc)
                return
            desk: BidDesk = self.state.auction_desk
            answer = await desk.place(request)
            if answer.refusal is not None:
                await self._refuse(scope, receive, send, answer.refusal)
                return
        headers = [(b"idempotent-replayed", b"true")] if answer.replayed else []
        headers += [
            (b"content-length", str(len(answer.body)).encode()),
            (b"content-type", b"application/json"),
            *self._headers,
        ]
        await send({"type": "http.response.start", "status": 201, "headers": headers})
        await send({"type": "http.response.body", "body": answer.body})

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, refusal: FactorLinkError
    ) -> None:
        path: str = scope["path"]
        response = business_problem(path, refusal)
        hsts = self.settings.secure_cookies
        await response(scope, receive, with_security_headers(send, path, hsts=hsts))


def _shape(headers: list[tuple[bytes, bytes]], max_body: int) -> tuple[str, str] | None:
    """The bearer token and the Idempotency-Key of a bid the lane takes (None: the route's)."""
    found: dict[bytes, bytes] = {}
    for name, value in headers:
        found.setdefault(name, value)  # the first of each, as the route reads them
    scheme, _, token = found.get(b"authorization", b"").decode("latin-1").partition(" ")
    key = found.get(b"idempotency-key")
    length = found.get(b"content-length", b"")
    # JSON as the route takes it: declared so (without a Content-Type the body is no JSON).
    media = found.get(b"content-type", b"").split(b";")[0].strip().lower()
    if (
        scheme.lower() != "bearer"
        or not token.strip()
        or key is None
        or _KEY.fullmatch(key) is None
        or b"transfer-encoding" in found
        or not length.isdigit()
        or int(length) > max_body
        or media != b"application/json"
    ):
        return None
    return token.strip(), key.decode("ascii")


async def _read(receive: Receive) -> bytes | None:
    """The request's body (its declared length, checked by the server), or None if the client
    disconnected first."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _amount(body: bytes) -> float | None:
    """The bid's amount (万元) if the body is JSON the route's model accepts, else None."""
    try:
        data: Any = json.loads(body)
        return BidIn.model_validate(data).amount_wan
    except (ValueError, ValidationError):  # JSON or Unicode errors are ValueErrors too
        return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the body already read, then what the client sends next."""
    given = False

    async def again() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again
