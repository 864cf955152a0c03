"""French formats the users expect: `1 410,00 €`, `1 h 30`, `03 20 12 34 56`."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()

NBSP = "\u00a0"


@register.filter
def euros(value) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{number_format(amount, 2, use_l10n=True, force_grouping=True)}{NBSP}€"


@register.filter
def duration(minutes) -> str:
    """Minutes as `1 h 30`, `45 min` or `2 h`."""
    if minutes is None or minutes == "":
        return ""
    minutes = int(minutes)
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    if not hours:
        return f"{sign}{rest}{NBSP}min"
    return f"{sign}{hours}{NBSP}h{NBSP}{rest:02d}" if rest else f"{sign}{hours}{NBSP}h"


@register.filter
def phone(value) -> str:
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    if len(digits) != 10:
        return value or ""
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


@register.filter
def days_until(day, today) -> int:
    """Days from `today` to `day` (negative when past)."""
    return (day - today).days


@register.filter
def pluriel(count, suffix="s") -> str:
    """The plural mark in French, where 0 and 1 take the singular: « 0 jour », « 1 an », « 2 ans »
    (Django's `pluralize` gives « 0 jours »)."""
    try:
        return suffix if abs(int(count)) >= 2 else ""
    except (TypeError, ValueError):
        return ""
