"""schemathesis over every operation of the OpenAPI document, in process (ASGI), as a visitor and
as an admin: no server error, answers as documented (status, content type, schema), and the
`Allow` header right on 405 and OPTIONS.

The budget is small and fixed (two fuzzed examples per operation, the coverage phase's boundary
cases, a fixed seed, derandomized), so every run is the same; `make test` (CI) runs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import BaseSchema, Case
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from factorlink.api.app import create_app
from factorlink.config import Settings
from factorlink.db.session import Database
from tests.factories import MakeActor

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
    unsupported_method,
    allow_header_conformance,
]


def config(mode: str) -> SchemathesisConfig:
    """A small, fixed budget: two fuzzed examples per operation, the schema's own examples, and
    the coverage phase's boundary cases (and unlisted methods: OPTIONS, TRACE) in this mode."""
    return SchemathesisConfig.from_dict(
        {
            "seed": 60,
            "generation": {"max-examples": 2, "deterministic": True, "no-shrink": True},
            "phases": {
                "examples": {"enabled": True},
                "coverage": {
                    "enabled": True,
                    "unexpected-methods": ["OPTIONS", "TRACE"],
                    "generation": {"mode": mode},
                },
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": False},
            },
        }
    )


@pytest.fixture
def admin(make_actor: MakeActor) -> dict[str, str]:
    """The headers of an admin: a bearer token."""
    return make_actor("admin").headers


def _schema(settings: Settings, database: Database, mode: str) -> Iterator[BaseSchema]:
    # Leads are not limited here: the limit is tested on its own, and would answer 429s only.
    app = create_app(settings.model_copy(update={"lead_rate_limit": 1_000_000}), database)
    with TestClient(app):  # started and stopped like a served app
        yield schemathesis.openapi.from_asgi("/openapi.json", app, config=config(mode))


@pytest.fixture
def visitor_schema(settings: Settings, database: Database) -> Iterator[BaseSchema]:
    """A visitor is mostly refused (401) before the body matters: valid inputs only."""
    yield from _schema(settings, database, "positive")


@pytest.fixture
def admin_schema(settings: Settings, database: Database) -> Iterator[BaseSchema]:
    """An admin reaches every rule: valid and invalid inputs."""
    yield from _schema(settings, database, "all")


SETTINGS = hypothesis_settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@schemathesis.pytest.from_fixture("visitor_schema").parametrize()
@SETTINGS
def test_every_operation_answers_a_visitor_as_documented(case: Case[Any]) -> None:
    case.call_and_validate(checks=CHECKS)


@schemathesis.pytest.from_fixture("admin_schema").parametrize()
@SETTINGS
def test_every_operation_answers_an_admin_as_documented(
    case: Case[Any], admin: dict[str, str]
) -> None:
    case.call_and_validate(headers=admin, checks=CHECKS)
