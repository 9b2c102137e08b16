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
