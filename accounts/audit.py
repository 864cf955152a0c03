"""The audit trail: every domain model is decorated with `@audited()`.

PostgreSQL triggers (django-pghistory) write one event row per insert, update and delete, bulk
operations and raw SQL included; the request's user and URL come from pghistory's middleware.
"""

import pghistory


def audited(**kwargs):
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        **kwargs,
    )
