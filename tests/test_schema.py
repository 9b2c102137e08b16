"""The schema tells the truth (issue "No leaks", point 10): generated without a warning or an
error, and valid OpenAPI 3."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_schema_generates_without_warnings_and_validates(tmp_path):
    out = tmp_path / "schema.yml"
    # --fail-on-warn exits non-zero on any warning or error; --validate checks OpenAPI 3.
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(out))
    assert out.stat().st_size > 0


@pytest.fixture(scope="module")
def spec():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _answer(spec, path, method="get", code="200"):
    return spec["paths"][path][method]["responses"][code]["content"]["application/json"]["schema"]


def test_reports_are_one_object_and_detail_lists_are_plain_arrays(spec):
    # The audit and the coverage answer one object; an incident's log, its clocks and an
    # obligation's deliveries answer an array, not a page.
    assert _answer(spec, "/api/audit/") == {"$ref": "#/components/schemas/AuditReport"}
    assert _answer(spec, "/api/patrols/coverage/") == {"$ref": "#/components/schemas/Coverage"}
    for path in ("/api/incidents/{id}/log/", "/api/incidents/{id}/clocks/", "/api/obligations/{id}/deliveries/"):
        assert _answer(spec, path)["type"] == "array", path
    assert _answer(spec, "/api/incidents/")["$ref"] == "#/components/schemas/PaginatedIncidentList"
    assert _answer(spec, "/api/incidents/{id}/summary/") == {"$ref": "#/components/schemas/Summary"}  # not "any object"


def test_error_answers_are_documented(spec):
    incidents, incident = spec["paths"]["/api/incidents/"], spec["paths"]["/api/incidents/{id}/"]
    assert {"400", "403"} <= set(incidents["get"]["responses"])  # a filtered list
    assert {"400", "403"} <= set(incidents["post"]["responses"])
    assert {"403", "404"} <= set(incident["get"]["responses"])
    assert {"400", "403", "404"} <= set(incident["patch"]["responses"])
    assert _answer(spec, "/api/incidents/{id}/", code="404") == {"$ref": "#/components/schemas/Error"}
    error = spec["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"detail", "request_id"}
    assert "additionalProperties" in _answer(spec, "/api/incidents/", "post", "400")


def _model_serializers():
    import importlib
    import inspect

    from rest_framework import serializers

    for app in ("core", "policies", "obligations", "registers", "patrols", "incidents", "briefings", "audit"):
        module = importlib.import_module(f"shouwang.{app}.api.serializers")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, serializers.ModelSerializer) and cls.__module__ == module.__name__:
                yield name, cls


def _nullable(prop):
    return bool(prop.get("nullable") or any(p.get("nullable") or p.get("$ref", "").endswith("/NullEnum")
                                            for p in prop.get("oneOf", []) + prop.get("allOf", [])))


def test_what_can_be_null_is_nullable_in_the_schema(spec):
    # Every answer field on a model column with null=True may be null in the schema.
    wrong = []
    for name, cls in _model_serializers():
        component = spec["components"]["schemas"][name.removesuffix("Serializer")]
        model = cls.Meta.model
        for field_name, field in cls().fields.items():
            if field.write_only or field.source == "*":
                continue
            try:
                column = model._meta.get_field(field.source.split(".")[0])
            except Exception:  # noqa: BLE001 - a property or a method, not a column
                continue
            if getattr(column, "concrete", False) and column.null and not _nullable(component["properties"][field_name]):
                wrong.append(f"{name}.{field_name}")
    assert not wrong
