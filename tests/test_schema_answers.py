"""Answers with real records match the schema (what schemathesis, with random ids, mostly sees
as 404): an incident's summary, clocks and log, its record, the audit."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from shouwang.incidents import services as incidents

pytestmark = pytest.mark.usefixtures("wsgi_in_test_transaction")  # PostgreSQL: see the fixture

SCHEMA = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
SCHEMA.app = get_wsgi_application()


@pytest.mark.parametrize("path", ["/api/incidents/{id}/", "/api/incidents/{id}/summary/",
                                  "/api/incidents/{id}/clocks/", "/api/incidents/{id}/log/"])
def test_an_incident_answers_as_documented(org, path):
    incident, _ = incidents.intake(user=org.user("office1"), jurisdiction=org.c1, title="火情", category="fire",
                                   level="IV", address="某路")
    case = SCHEMA[path]["GET"].Case(path_parameters={"id": incident.pk})
    token = Token.objects.create(user=org.user("office1")).key
    response = case.call_and_validate(headers={"Authorization": f"Token {token}"},
                                      checks=[not_a_server_error, response_schema_conformance])
    assert response.status_code == 200
