"""Recording accesses to case files (views, PDFs, documents, exports) in the access log."""

from accounts.models import AccessLog

# Where a page being cached collects the accesses it logged, to log them again when it is served
# from the cache (accounts/page_cache.py): a consultation is logged however the page is produced.
CAPTURE = "_access_log_capture"


def record(request, action: str, obj=None, *, household=None, object_type: str = "") -> None:
    """Log that `request.user` did `action` on `obj` (and which household it concerns)."""
    household = household if household is not None else getattr(obj, "household", None)
    if household is None and obj is not None and obj._meta.model_name == "household":
        household = obj
    fields = {
        "action": action,
        "object_type": object_type or (obj._meta.verbose_name if obj is not None else ""),
        "object_id": str(obj.pk) if obj is not None else "",
        "household_id": household.pk if household is not None else None,
        "household_reference": household.reference if household is not None else "",
    }
    AccessLog.objects.create(user=request.user, path=request.get_full_path()[:300], **fields)
    captured = getattr(request, CAPTURE, None)
    if captured is not None:
        captured.append(fields)


def replay_rows(request, captured: list[dict], user_id: int) -> list[dict]:
    """The rows logging again, for this request, the accesses a cached page logged when it was
    produced. The page cache writes them with its check of the data version, in one statement
    (`lmh_serve_cached_page`, migration 0004)."""
    path = request.get_full_path()[:300]
    return [{**fields, "user_id": user_id, "path": path} for fields in captured]
