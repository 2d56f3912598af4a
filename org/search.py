"""Chinese substring search of one, two or more characters, served by an index on PostgreSQL.

Most Chinese keywords are two characters, which pg_trgm cannot serve. Instead every one- and
two-character piece of the searched text is in a GIN index (the SQL functions
``riskpoints_grams`` and ``riskpoints_keyword_grams``, created by riskpoints' migration 0005):
the keyword's pieces find the candidates there and LIKE checks them. Elsewhere LIKE alone.
An index serves a search only when it was made over the same columns, in the same order
(riskpoints 0005 for the register, public 0006 for the public entries)."""

from functools import reduce
from operator import or_

from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL


def keyword_q(model, columns, term):
    """Rows of ``model`` one of whose ``columns`` contains ``term``, in any case."""
    like = reduce(or_, (Q(**{f"{column}__icontains": term}) for column in columns))
    if connection.vendor != "postgresql":
        return like
    table = model._meta.db_table
    text = " || ' ' || ".join(f'"{table}"."{model._meta.get_field(c).column}"' for c in columns)
    # Table and columns are the model's own; the search term goes in as a parameter.
    grams = RawSQL(f"riskpoints_grams({text}) @> riskpoints_keyword_grams(%s)", [term],  # nosec B611
                   output_field=models.BooleanField())
    return Q(grams) & like
