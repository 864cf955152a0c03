from unittest import mock

import pytest
from django.db import OperationalError

from accounts import views


@pytest.mark.django_db
def test_readyz_answers_ok_when_migrations_are_applied(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_readyz_is_not_ready_while_a_migration_is_pending(client):
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=[("migration", False)]
    ):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert "1 migration(s) à appliquer" in response.content.decode()


@pytest.mark.django_db
def test_readyz_is_not_ready_when_the_database_is_unreachable(client):
    with mock.patch.object(views, "connection") as broken:
        broken.cursor.side_effect = OperationalError("connection refused")
        with mock.patch("django.db.migrations.executor.MigrationExecutor.__init__", side_effect=OperationalError):
            response = client.get("/readyz")

    assert response.status_code == 503
    assert "injoignable" in response.content.decode()


@pytest.mark.django_db
def test_readyz_needs_no_login(client):
    client.logout()

    assert client.get("/readyz").status_code == 200
