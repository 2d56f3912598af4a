from django.db import migrations

from org.migration_ops import on_postgresql

# The public catalogues' and the API's keyword search (public.selectors.entry_keyword_q): the
# one- and two-character pieces of each entry's search text in a GIN index, by the functions
# of riskpoints 0005 (see org/search.py). PostgreSQL only; SQLite searches with LIKE alone.
SEARCH_SQL = """
CREATE INDEX public_publicationentry_grams ON public_publicationentry USING gin (riskpoints_grams(search_text));
"""
SEARCH_DROP = "DROP INDEX public_publicationentry_grams;"


class Migration(migrations.Migration):

    dependencies = [
        ("public", "0005_current_entries"),
        ("riskpoints", "0005_register_tally_and_search"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(SEARCH_SQL), on_postgresql(SEARCH_DROP)),
    ]
