"""Recording accesses to case files (views, PDFs, documents, exports) in the access log."""

from accounts.models import AccessLog


def record(request, action: str, obj=None, *, household=None, object_type: str = "") -> None:
    """Log that `request.user` did `action` on `obj` (and which household it concerns)."""
    household = household if household is not None else getattr(obj, "household", None)
    if household is None and obj is not None and obj._meta.model_name == "household":
        household = obj
    AccessLog.objects.create(
        user=request.user,
        action=action,
        object_type=object_type or (obj._meta.verbose_name if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else "",
        household_id=household.pk if household is not None else None,
        household_reference=household.reference if household is not None else "",
        path=request.get_full_path()[:300],
    )
