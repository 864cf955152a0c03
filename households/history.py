"""A household's audit history as its file shows it: who changed what and when.

pghistory stores each change as JSON: choice codes, ISO dates, floats for amounts and ids for
related rows. The page shows them as the forms do: French labels, dd/mm/yyyy, Oui/Non, names.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import pghistory.models
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format

from accounts.models import User

LABELS = {"insert": "Création", "update": "Modification", "delete": "Suppression"}
# Never shown in a history page, whatever the model.
HIDDEN_FIELDS = {"id", "household", "updated_at", "created_at", "recorded_at", "confidential_note"}
EMPTY = "—"


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
    diffs = []
    for event in events:
        tracked = _tracked_model(event.pgh_model)
        changes = [
            (name, _field(tracked, name), old, new)
            for name, (old, new) in (event.pgh_diff or {}).items()
            if name not in HIDDEN_FIELDS
        ]
        diffs.append((event, tracked, changes))
    related = _related_labels(
        (field, value) for _, _, changes in diffs for _, field, *values in changes for value in values
    )
    return [
        HistoryRow(
            at=event.pgh_created_at,
            action=LABELS.get(event.pgh_label, event.pgh_label),
            what=tracked._meta.verbose_name.capitalize() if tracked else event.pgh_model,
            by=users.get((event.pgh_context or {}).get("user"), "Système"),
            changes=[
                (field.verbose_name if field else name, _display(field, old, related), _display(field, new, related))
                for name, field, old, new in changes
            ],
        )
        for event, tracked, changes in diffs
    ]


def _tracked_model(event_model_label: str):
    from django.apps import apps

    try:
        return apps.get_model(event_model_label).pgh_tracked_model
    except (LookupError, AttributeError):
        return None


def _field(model, name: str) -> models.Field | None:
    """The model field a diff key names (`operator_id` is `operator`); None for a field since removed."""
    if model is None:
        return None
    try:
        return model._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return None


def _is_reference(field) -> bool:
    return field is not None and (field.many_to_one or field.one_to_one) and field.related_model is not None


def _related_labels(values) -> dict[tuple[type, object], str]:
    """Names of the rows the changes point to, read in one query per related model."""
    wanted = defaultdict(set)
    for field, value in values:
        if _is_reference(field) and value is not None:
            wanted[field.related_model].add(value)
    labels = {}
    for model, ids in wanted.items():
        for row in model._base_manager.filter(pk__in=ids):
            labels[(model, row.pk)] = str(row)
    return labels


def _display(field, value, related) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if field is None:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if _is_reference(field):
        return related.get((field.related_model, value), str(value))
    try:
        if isinstance(field, models.DateTimeField):
            moment = timezone.localtime(datetime.fromisoformat(value))
            return f"{moment:%d/%m/%Y} à {moment.hour} h {moment:%M}"
        if isinstance(field, models.DateField):
            return f"{date.fromisoformat(value):%d/%m/%Y}"
        if isinstance(field, models.DecimalField):
            # Stored as a JSON number: read it back through its text, not as a binary float.
            return number_format(Decimal(str(value)), decimal_pos=field.decimal_places, force_grouping=True)
    except (TypeError, ValueError, InvalidOperation):
        pass  # a value the field no longer describes (its type changed since): shown as stored
    return str(value)
