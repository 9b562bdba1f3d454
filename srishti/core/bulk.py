"""Plain-row inserts for the few writes that carry thousands of rows at once.

`bulk_create` builds a model instance per row and prepares every field of every row
through the field API; for a district hospital's checklist (~13,500 rows) or a whole
workbook's answers (~6,500) that costs several times the SQL itself. `insert_rows` sends
plain tuples instead: multi-row INSERTs on SQLite, COPY on PostgreSQL. Measured in
bench/import_bench.py and bench/scoring_bench.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Model
from django.utils import timezone

TIMESTAMPS = ("created_at", "updated_at")
# Parameters per multi-row INSERT on SQLite: its historical limit (newer builds allow
# 32,766 or more), and about the fastest size: 6,500 checkpoint rows take 8.0 ms in
# statements of 999 parameters, 9.5 ms in statements of 10,000.
SQLITE_STATEMENT_PARAMS = 999


def insert_rows(
    model: type[Model], names: Sequence[str], rows: Sequence[tuple], **constants: object
) -> None:
    """INSERT `rows` into `model`'s table in as few statements as possible; no ids
    come back.

    Each row holds values for the fields `names`, in that order, already as the
    database driver takes them: ids for foreign keys, ints, floats, strings, None, or a
    value the caller prepared with the field's `get_db_prep_save`. `constants` give one
    value to every row (e.g. `version=version.pk`) and are prepared here, once. Every
    other column gets its field's default, and `created_at`/`updated_at` the same "now".
    Like bulk_create it sends no signals and runs no validation or `save()`; call it
    inside the caller's transaction. On PostgreSQL the COPY bypasses Django's query
    log, so query counts and execute wrappers do not see these rows.
    """
    if not rows:
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    given = {f.name for f in fields}
    now = timezone.now()
    fixed_fields, fixed_values = [], []
    for field in meta.concrete_fields:
        if field.primary_key or field.name in given:
            continue
        if field.name in constants:
            value = constants[field.name]
        elif field.attname in constants:
            value = constants[field.attname]
        elif field.name in TIMESTAMPS:
            value = now
        else:
            value = field.get_default()
        fixed_fields.append(field)
        fixed_values.append(field.get_db_prep_save(value, connection))
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields + fixed_fields)
    fixed = tuple(fixed_values)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's psycopg cursor binds parameters client-side, so executemany
            # would quote and send each row as its own statement; COPY streams them.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(tuple(row) + fixed)
            return
        # Multi-row VALUES: twice as fast in SQLite as executemany of a one-row
        # statement (6,500 checkpoints: 8 ms against 16). Sent on the driver's own
        # connection (same transaction) with its "?" placeholders: Django's cursor would
        # rewrite every "%s" of every statement with a regex, ~15% of a DH import.
        raw = connection.connection
        width = len(fields) + len(fixed_fields)
        per_statement = max(1, SQLITE_STATEMENT_PARAMS // width)
        row_sql = "(" + ", ".join(["?"] * width) + ")"
        prefix = f"INSERT INTO {table} ({columns}) VALUES "
        full_sql = prefix + ", ".join([row_sql] * per_statement)
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            sql = full_sql if len(chunk) == per_statement else (
                prefix + ", ".join([row_sql] * len(chunk)))
            raw.execute(sql, [value for row in chunk for value in (*row, *fixed)])


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` primary keys for new rows of `model`, to insert with `insert_rows` (with
    "id" among the names), so that nothing has to be read back to learn the ids.

    Call it inside the transaction that inserts the rows, after that transaction has
    written something. PostgreSQL hands out the ids from the table's sequence. On SQLite
    the transaction then holds the database's only write lock, so no other connection can
    insert before the commit: the ids are the ones after the highest ever used (tables
    are AUTOINCREMENT, which never reuses an id, and remembers the highest in
    sqlite_sequence even when its row is gone).
    """
    if count <= 0:
        return []
    meta = model._meta
    table, pk = meta.db_table, meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quote = connection.ops.quote_name
        cursor.execute(
            f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"coalesce((SELECT max({quote(pk)}) FROM {quote(table)}), 0))",
            [table],
        )
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def insert_new_rows(
    model: type[Model], names: Sequence[str], rows: Sequence[tuple], **constants: object
) -> list[int]:
    """`insert_rows`, each row getting a reserved id (`reserve_ids`); the ids, in the
    rows' order. Same conditions as `reserve_ids`."""
    ids = reserve_ids(model, len(rows))
    insert_rows(model, ("id", *names), [(pk, *row) for pk, row in zip(ids, rows, strict=True)],
                **constants)
    return ids
