"""What PostgreSQL would do with a query: its plan with sequential and plain index scans ruled
out, so that a test can tell whether an index can serve the query at all."""

from django.db import connection


def bitmap_plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())
