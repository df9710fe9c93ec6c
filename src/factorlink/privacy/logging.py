"""A safety net that masks mainland mobile numbers in every log record, whoever logs it.

Code should never log personal data in the first place; this catches what slips through
(an exception message quoting a row, a client library logging a URL). A filter on the root
logger alone is not enough: Python applies a logger's filters only to records logged on that
very logger, not to records propagating up from `factorlink.*` or `uvicorn.*`. So `install`
also masks each record as it is created, which covers every logger and every handler.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

# 11 digits starting 13–19, optionally after +86/86 and with the spaces or dashes people type,
# but not inside a longer run of digits (ids, timestamps, credit codes).
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)")


def redact(text: str) -> str:
    """Masks every mobile number in a text: 13812345678 -> 138****5678."""
    return _MOBILE.sub(lambda m: f"{m[1]}****{m[2]}", text)


def _redact_args(args: Any) -> Any:
    # Arguments stay arguments where possible: some formatters (uvicorn's) unpack them.
    if isinstance(args, tuple):
        return tuple(redact(a) if isinstance(a, str) else a for a in args)
    if isinstance(args, Mapping):
        return {k: redact(v) if isinstance(v, str) else v for k, v in args.items()}
    return args


def redact_record(record: logging.LogRecord) -> None:
    """Masks mobile numbers in a record's message, arguments, traceback and stack, in place."""
    if isinstance(record.msg, str):
        record.msg = redact(record.msg)
    record.args = _redact_args(record.args)
    try:
        message = record.getMessage()
    except Exception:
        return  # A broken format string: logging reports it itself, with nothing to leak here.
    clean = redact(message)
    if clean != message:
        # A number hidden in a non-string argument: keep only the masked, formatted text.
        record.msg, record.args = clean, None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


class RedactMobiles(logging.Filter):
    """A logging filter that masks mobile numbers and lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


class _RedactingFactory:
    """Wraps the log record factory so every record is masked as it is made."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = self.inner(*args, **kwargs)
        redact_record(record)
        return record


def install() -> None:
    """Installs the filter on the root logger and the record factory; safe to call twice."""
    root = logging.getLogger()
    if not any(isinstance(f, RedactMobiles) for f in root.filters):
        root.addFilter(RedactMobiles())
    factory = logging.getLogRecordFactory()
    if not isinstance(factory, _RedactingFactory):
        logging.setLogRecordFactory(_RedactingFactory(factory))
