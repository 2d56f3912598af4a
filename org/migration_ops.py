"""What the project's migrations share: SQL that only PostgreSQL runs (triggers, GIN indexes,
functions); on SQLite the code counts and searches without them."""


def on_postgresql(sql):
    """A ``RunPython`` function that executes ``sql`` on PostgreSQL and does nothing elsewhere."""
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)
    return run
