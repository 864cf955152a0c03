"""The data version: one number that moves whenever a write to the domain tables is committed.

Each domain table carries a deferred constraint trigger, `lmh_data_version`, which adds one to
`accounts_dataversion.value` at commit (once per transaction). The counter is a plain row, so its
new value becomes visible in the same instant as the data written with it: a request that reads
value V and then reads the data sees everything committed up to V, or more. Whole pages can thus
be cached under V (accounts/page_cache.py) and are never served once anything has changed.

Each transaction takes the counter's row lock only at its commit, after its own locks. To keep
that from closing a cycle of waits, the services lock the rows they change with
`select_for_update(no_key=True)` (FOR NO KEY UPDATE), which foreign-key checks at commit do not
wait for.

The triggers are installed on every model table of the domain apps after each `migrate`, new
tables included, and dropped before it (a data migration followed by an ALTER TABLE of the same
table would otherwise fail on the pending trigger events). While they are missing, the
`triggers_installed` flag is false and nothing is cached.

Left out: the access log (written on every consultation), the audit trail's event tables (written
with the rows they follow), sessions and login throttling. The second-factor devices are tracked:
the page cache serves pages without loading them, on the word of an unchanged version (their
rows change at each second-factor check or failed attempt, rare next to the other writes).
"""

from django.apps import apps
from django.db import connections

TRIGGER = "lmh_data_version"
DOMAIN_APPS = ("accounts", "households", "measures", "committee", "finance")
LEFT_OUT = {"accounts.accesslog", "accounts.dataversion"}


def tracked_tables() -> list[str]:
    """The tables whose writes move the data version."""
    from django_otp.models import Device
    from pghistory.models import Event

    tables = set()
    for app_label in DOMAIN_APPS:
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed or issubclass(model, Event):
                continue
            if model._meta.label_lower in LEFT_OUT:
                continue
            tables.add(model._meta.db_table)
    # Users' names and staff flags show on every page; the auth app's group tables too.
    for model in apps.get_app_config("auth").get_models(include_auto_created=True):
        tables.add(model._meta.db_table)
    for model in apps.get_models():
        if issubclass(model, Device) and not model._meta.abstract:
            tables.add(model._meta.db_table)
    return sorted(tables)


def _existing(cursor) -> set[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s", [TRIGGER]
    )
    return {row[0] for row in cursor.fetchall()}


def install(using: str = "default") -> None:
    """Put the trigger on every tracked table that lacks it, then move the version (the data may
    have changed meanwhile) and mark the triggers as installed."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('accounts_dataversion'), to_regproc('lmh_data_version_bump')")
        if None in cursor.fetchone():
            return  # migrations not applied yet
        existing = _existing(cursor)
        introspected = set(connection.introspection.table_names(cursor))
        missing = [table for table in tracked_tables() if table in introspected and table not in existing]
        for table in missing:
            cursor.execute(
                f"CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE "
                f"ON {connection.ops.quote_name(table)} DEFERRABLE INITIALLY DEFERRED "
                "FOR EACH ROW EXECUTE FUNCTION lmh_data_version_bump()"
            )
        # The version jumps to at least the clock in microseconds: after a restore of an older dump,
        # or a flush that emptied the table (tests), it must not count again through values that
        # pages may already be cached under. Writes add one each, far fewer than a million a second.
        cursor.execute(
            "INSERT INTO accounts_dataversion (id, value, triggers_installed) "
            "VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint, true) "
            "ON CONFLICT (id) DO UPDATE SET value = GREATEST(accounts_dataversion.value + 1, EXCLUDED.value), "
            "triggers_installed = true"
        )


def uninstall(using: str = "default") -> None:
    """Drop the triggers (before migrations) and stop page caching until they are back."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('accounts_dataversion')")
        if cursor.fetchone()[0] is None:
            return
        cursor.execute("UPDATE accounts_dataversion SET triggers_installed = false WHERE id = 1")
        for table in _existing(cursor):
            cursor.execute(f"DROP TRIGGER {TRIGGER} ON {connection.ops.quote_name(table)}")


def current(using: str = "default") -> int | None:
    """The committed data version, or None when pages must not be cached (triggers missing)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT value, triggers_installed FROM accounts_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row and row[1] else None
