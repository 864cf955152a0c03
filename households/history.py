"""A household's audit history as its file shows it: who changed what and when."""

from dataclasses import dataclass
from datetime import datetime

import pghistory.models

from accounts.models import User

LABELS = {"insert": "Création", "update": "Modification", "delete": "Suppression"}
# Never shown in a history page, whatever the model.
HIDDEN_FIELDS = {"id", "household", "updated_at", "created_at", "recorded_at", "confidential_note"}


@dataclass
class HistoryRow:
    at: datetime
    action: str
    what: str
    by: str
    changes: list[tuple[str, str, str]]


def household_history(household, *, limit: int = 200) -> list[HistoryRow]:
    events = list(pghistory.models.Events.objects.references(household).order_by("-pgh_created_at", "-pgh_id")[:limit])
    user_ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
    users = {u.pk: u.full_name for u in User.objects.filter(pk__in=user_ids)}
    rows = []
    for event in events:
        tracked = _tracked_model(event.pgh_model)
        changes = []
        for field, (old, new) in (event.pgh_diff or {}).items():
            if field in HIDDEN_FIELDS:
                continue
            changes.append((_verbose(tracked, field), _display(old), _display(new)))
        rows.append(
            HistoryRow(
                at=event.pgh_created_at,
                action=LABELS.get(event.pgh_label, event.pgh_label),
                what=tracked._meta.verbose_name.capitalize() if tracked else event.pgh_model,
                by=users.get((event.pgh_context or {}).get("user"), "Système"),
                changes=changes,
            )
        )
    return rows


def _tracked_model(event_model_label: str):
    from django.apps import apps

    try:
        return apps.get_model(event_model_label).pgh_tracked_model
    except (LookupError, AttributeError):
        return None


def _verbose(model, field):
    if model is None:
        return field
    try:
        return model._meta.get_field(field.removesuffix("_id")).verbose_name
    except Exception:  # noqa: BLE001  (a field since removed keeps its raw name)
        return field


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "oui"
    if value is False:
        return "non"
    return str(value)
