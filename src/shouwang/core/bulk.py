"""Inserting many new rows at once, for the few hot paths that need it (e.g. a phone's offline queue).

`bulk_insert(instances)` is `bulk_create` (no signals: log the rows with
`changelog.record_created`) that sends the rows with COPY on PostgreSQL, with their ids drawn
from the table's sequence first: several times cheaper than a multi-row INSERT for large
batches. Constraints hold as for any insert (a unique violation raises IntegrityError).
"""

from django.db import connections, router

COPY_FROM = 2  # one row goes in as a plain INSERT


def bulk_insert(instances):
    instances = list(instances)
    if not instances:
        return instances
    model = type(instances[0])
    manager = model._default_manager
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    if connection.vendor != "postgresql" or len(instances) < COPY_FROM or not meta.pk.auto_created or meta.parents:
        return manager.bulk_create(instances)
    quote = connection.ops.quote_name
    fields = meta.concrete_fields
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [quote(meta.db_table), meta.pk.column, len(instances)])
        ids = [row[0] for row in cursor.fetchall()]
        rows = []
        for instance, pk in zip(instances, ids, strict=True):
            instance.pk = pk
            rows.append([f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields])
        columns = ", ".join(quote(f.column) for f in fields)
        # COPY bypasses the cursor wrapper: translate errors (IntegrityError...) as execute() does.
        with connection.wrap_database_errors, cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    for instance in instances:
        instance._state.adding = False
        instance._state.db = connection.alias
    return instances
