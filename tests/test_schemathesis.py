"""The API answers what its schema says (issue "No leaks", point 10): schemathesis generates
requests for every read from the schema drf-spectacular makes of the app and checks that none
is a server error and every answer has the documented shape, for a superuser and for a grid
worker of one community, on the small organisation of the fixtures."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.patrols.conftest import patrol  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("wsgi_in_test_transaction")  # PostgreSQL: see the fixture

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()
reads = schema.include(method="GET")
writes = schema.include(method=["POST", "PUT", "PATCH", "DELETE"])


@pytest.fixture(params=["admin", "grid1"])
def token(request, org, units, patrol):  # noqa: F811
    return Token.objects.create(user=org.user(request.param)).key


BOUNDED = {"deadline": None, "derandomize": True, "phases": [Phase.generate],
           "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                     HealthCheck.filter_too_much]}


def _call_and_validate(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"},
                           checks=[not_a_server_error, response_schema_conformance])


@reads.parametrize()
@settings(max_examples=5, **BOUNDED)
def test_reads_answer_as_documented(case, token):
    _call_and_validate(case, token)


@writes.parametrize()
@settings(max_examples=2, **BOUNDED)
def test_writes_answer_as_documented(case, token):
    _call_and_validate(case, token)
