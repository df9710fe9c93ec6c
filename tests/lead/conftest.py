"""Lead tests post many leads from one test client, so the limit is raised here; the rate-limit
tests build their own app with a small one."""

from __future__ import annotations

import pytest

from factorlink.config import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared test settings with a generous lead limit."""
    return settings.model_copy(update={"lead_rate_limit": 1000})
