"""The README's backup and restore commands, run for real: a `pg_dump -Fc` of the test database,
restored with `createdb` and `pg_restore --no-owner` into a new database, gives back the rows, the
audit trail, its triggers and a schema with every migration applied."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from accounts import data_version
from households.models import Household
from tests.households.factories import HouseholdFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump introuvable (paquet postgresql-client)"),
]
ROOT = Path(__file__).resolve().parent.parent


def _client_env() -> dict:
    database = connection.settings_dict
    return {
        **os.environ,
        "PGHOST": database["HOST"] or "127.0.0.1",
        "PGPORT": str(database["PORT"] or 5432),
        "PGUSER": database["USER"] or "postgres",
        "PGPASSWORD": database["PASSWORD"] or "",
    }


def _run(*command: str, env: dict) -> None:
    subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603


def test_a_dump_restores_into_a_working_database(tmp_path, landlord):
    HouseholdFactory.create_batch(3, landlord=landlord)
    households = Household.objects.count()
    events = Household.pgh_event_model.objects.count()
    env = _client_env()
    dump = tmp_path / "lmh.dump"
    restored = f"lmh_restore_{uuid.uuid4().hex[:8]}"

    # The README's commands, with the test database in place of the production one.
    _run("pg_dump", "-Fc", "-d", connection.settings_dict["NAME"], "-f", str(dump), env=env)
    _run("createdb", restored, env=env)
    try:
        _run("pg_restore", "-d", restored, "--no-owner", str(dump), env=env)
        with psycopg2.connect(
            dbname=restored, host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"], password=env["PGPASSWORD"]
        ) as db:
            with db.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM households_household")
                assert cursor.fetchone()[0] == households == 3
                cursor.execute(f"SELECT count(*) FROM {Household.pgh_event_model._meta.db_table}")  # noqa: S608
                assert cursor.fetchone()[0] == events >= 3
                cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = %s", [data_version.TRIGGER])
                assert cursor.fetchone()[0] == len(data_version.tracked_tables())
                # The audit trail keeps recording in the restored database.
                cursor.execute("UPDATE households_household SET name = 'RESTAURÉ'")
                cursor.execute(f"SELECT count(*) FROM {Household.pgh_event_model._meta.db_table}")  # noqa: S608
                assert cursor.fetchone()[0] == events + households
        db.close()
        # Every migration is applied: the application can start on it (what /readyz checks).
        check = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "migrate", "--check", "--no-input"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": _url(restored, env), "DEBUG": "1", "SECRET_KEY": settings.SECRET_KEY},
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stdout + check.stderr
    finally:
        _run("dropdb", "--if-exists", restored, env=env)


def _url(name: str, env: dict) -> str:
    return f"postgres://{env['PGUSER']}@{env['PGHOST']}:{env['PGPORT']}/{name}"
