"""No mobile number reaches a log: the redacting filter, and a real request that handles one."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi.testclient import TestClient

from factorlink.privacy.logging import RedactMobiles, install, redact
from tests.factories import MakeActor

MOBILE = re.compile(r"1[3-9]\d{9}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("联系人手机13812345678", "联系人手机138****5678"),
        ("tel +86 139-1234-5678.", "tel 139****5678."),
        ("8615012345678 and 150 1234 5678", "150****5678 and 150****5678"),
        ("order 213812345678, ts 1712345678901", "order 213812345678, ts 1712345678901"),
        (
            "credit 91310117MA1J3B2X4Q, fax 021-57781234",
            "credit 91310117MA1J3B2X4Q, fax 021-57781234",
        ),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_filter_masks_message_arguments_and_traceback() -> None:
    try:
        raise ValueError("duplicate contact 13812345678")
    except ValueError:
        import sys

        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "factorlink.test",
        logging.ERROR,
        __file__,
        1,
        "lead from %s (%d)",
        ("13912345678", 15012345678),
        exc_info,
    )
    assert RedactMobiles().filter(record) is True
    assert record.getMessage() == "lead from 139****5678 (150****5678)"
    assert record.exc_text and "138****5678" in record.exc_text
    assert "13812345678" not in logging.Formatter().format(record)


def test_a_real_logger_is_redacted_after_install(caplog: pytest.LogCaptureFixture) -> None:
    install()
    install()  # idempotent
    assert sum(isinstance(f, RedactMobiles) for f in logging.getLogger().filters) == 1
    logger = logging.getLogger("factorlink.some.module")
    with caplog.at_level(logging.INFO):
        logger.info("calling %s about %s", "13812345678", "石墨烯散热膜")
        logger.warning("number in the format string 15912345678")
        logging.getLogger().error("root too: %(m)s", {"m": "18612345678"})
    assert [r.getMessage() for r in caplog.records] == [
        "calling 138****5678 about 石墨烯散热膜",
        "number in the format string 159****5678",
        "root too: 186****5678",
    ]
    assert not MOBILE.search(caplog.text)


def test_a_request_handling_personal_data_logs_none_of_it(
    client: TestClient, make_actor: MakeActor, caplog: pytest.LogCaptureFixture
) -> None:
    operator = make_actor("operator")
    listing = {
        "title": "高导热石墨烯复合散热膜制备技术",
        "abstract": "采用化学气相沉积与热压复合工艺,已完成中试。",
        "industry": "新材料",
        "organization": "示例大学",
        "city": "松江",
        "contact_name": "李晓明",
        "contact_mobile": "138 1234 5678",
    }
    with caplog.at_level(logging.DEBUG):
        created = client.post("/api/v1/achievements", json=listing, headers=operator.headers)
        assert created.status_code == 201, created.text
        # A mobile typed into a search box travels in the query string.
        searched = client.get("/api/v1/achievements", params={"q": "13812345678"})
        assert searched.status_code == 200
        client.post("/api/v1/auth/login", json={"username": "li", "password": "秘密口令-abc123"})
    # The test client logs each URL: the number in the query string shows up masked.
    assert "q=138****5678" in caplog.text
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert not MOBILE.search(logged)
    assert "1234 5678" not in logged
    assert "秘密口令" not in logged
