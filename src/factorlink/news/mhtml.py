"""MHTML (a browser's "save as single file"): the HTML part, its charset and its address.

Pure: parses bytes with the standard library's e-mail parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser


class MhtmlError(ValueError):
    """The file is not MHTML or holds no HTML part."""


@dataclass(frozen=True)
class MhtmlPage:
    html: bytes
    charset: str | None
    url: str | None


def read_mhtml(raw: bytes) -> MhtmlPage:
    """The first text/html part of an MHTML archive, decoded from its transfer encoding."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    if not isinstance(message, EmailMessage):  # pragma: no cover - policy.default gives these
        raise MhtmlError("not an MHTML archive")
    top_url = message.get("Snapshot-Content-Location") or message.get("Content-Location")
    for part in message.walk():
        if part.get_content_type() != "text/html" or part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload.strip():
            continue
        url = part.get("Content-Location") or top_url
        return MhtmlPage(payload, part.get_content_charset(), str(url) if url else None)
    raise MhtmlError("no text/html part in the MHTML archive")
