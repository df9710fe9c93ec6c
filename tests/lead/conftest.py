"""Lead tests post many leads from one test client, so the limit is raised and copies are not
merged here; the rate-limit and merge tests build their own app with their own settings."""

from __future__ import annotations

import pytest

from factorlink.config import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared test settings with a generous lead limit, and no merging of copies."""
    return settings.model_copy(update={"lead_rate_limit": 1000, "lead_duplicate_hours": 0})
