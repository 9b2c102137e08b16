"""Bulk inserts for hot paths: `bulk.bulk_insert` (COPY on PostgreSQL) and `changelog.record_created`."""

import pytest
from django.db import IntegrityError, transaction

from shouwang.core.bulk import bulk_insert
from shouwang.core.changelog import change_context, record_created, snapshot
from shouwang.core.choices import PersonKind
from shouwang.core.models import ChangeLogEntry, Person
from tests.crud import log_rows


@pytest.mark.parametrize("n", [1, 3])
def test_bulk_insert_and_its_log_rows_match_what_saves_would_write(org, n):
    people = [Person(jurisdiction=org.c1, name=f"批量{i}", kind=PersonKind.PATROL) for i in range(n)]
    with change_context(source="task", user=org.user("office")) as ctx, transaction.atomic():
        stored = bulk_insert(people)
        record_created(stored)
    assert all(p.pk for p in stored) and not any(p._state.adding for p in stored)
    for person in stored:
        fresh = Person.objects.get(pk=person.pk)
        assert (fresh.name, fresh.kind, fresh.jurisdiction_id, fresh.active) == (person.name, "patrol", org.c1.pk, True)
        assert fresh.created_at is not None and fresh.updated_at is not None
        row = log_rows(fresh, "create").get()
        assert (row.user, row.user_name, row.source, row.request_id) == (org.user("office"), "office", "task", ctx.request_id)
        assert row.jurisdiction_path == org.c1.path and row.object_repr == str(fresh) and row.before is None
        assert row.after == snapshot(fresh)


def test_bulk_insert_reports_a_unique_violation_as_integrity_error(org):
    user = org.user("patrol1")
    first = Person(jurisdiction=org.c1, name="甲", user=user)
    second = Person(jurisdiction=org.c1, name="乙", user=user)  # one person per user account
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert([first, second])
    assert not Person.objects.filter(name__in=["甲", "乙"]).exists()
    assert not ChangeLogEntry.objects.filter(object_repr__in=["甲", "乙"]).exists()
