"""Both APIs answer as their OpenAPI documents say (schemathesis, at most 30 examples each).

Every status code, header and body an operation answers must be documented, schema-valid
requests must not be rejected and invalid ones must not be accepted."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import (
    NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES,
    POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES,
)

# About 2 minutes on PostgreSQL (it passes there too): CI runs it in the SQLite pass. Skipped
# before the documents are loaded, which builds the examples at collection time.
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    pytest.skip(
        "slow on PostgreSQL; the contract is checked in the SQLite pass", allow_module_level=True
    )

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _keep_test_connection() -> object:
    """Requests go straight to the WSGI app, not through Django's test client, so stop
    Django from closing the test's database connection (and its transaction) after each,
    as the test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _unlimited(settings: pytest.FixtureRequest) -> None:
    """No rate limit during the run, so a 429 never makes it flaky."""
    settings.FACIT_API_ANON_RATE = ""  # type: ignore[attr-defined]
    settings.FACIT_TERMINOLOGY_ANON_RATE = ""  # type: ignore[attr-defined]


# 413 (a body over the size limit) is a rejection too.
_REJECTED = [*NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, "413"]
# These operations check what JSON Schema cannot say, and answer 422 naming the field: the
# statistics a measure needs and whether they give a finite result (synthesis), whether a
# municipality or postcode is one facit knows (search).
_SEMANTIC_422 = r"/(synthesis/|services/search|service_at_locations$)"
_CONFIG = SchemathesisConfig.from_dict(
    {
        # The APIs refuse NUL in queries and paths (422; PostgreSQL text cannot hold it),
        # which the documents do not say, so no NUL is generated.
        "generation": {"allow-x00": False},
        "checks": {"negative_data_rejection": {"expected-statuses": _REJECTED}},
        "operations": [
            {
                "include-path-regex": _SEMANTIC_422,
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "422"]
                    }
                },
            }
        ],
    }
)
_app = get_wsgi_application()
v1 = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _app, config=_CONFIG)
hsds = schemathesis.openapi.from_wsgi("/api/hsds/openapi.json", _app, config=_CONFIG)

_BOUNDED = settings(
    max_examples=30,
    derandomize=True,  # the same examples on every run: no flaky CI
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@v1.parametrize()
@_BOUNDED
def test_api_v1_answers_as_documented(case: schemathesis.Case) -> None:
    case.call_and_validate()


@hsds.parametrize()
@_BOUNDED
def test_hsds_api_answers_as_documented(case: schemathesis.Case) -> None:
    case.call_and_validate()
