"""Whole pages served again from the cache until the data they show changes.

A page is cached with the data version it was produced at (accounts/data_version.py), under a key
made of the date and quarter hour (deadlines and memberships depend on the date, the next
committee session on the time of day), the session and CSRF secret of
whoever asked (so an entry only ever serves the session that produced it, with its own CSRF token
in the forms of the header), the release (settings.RELEASE: a deployment starts afresh) and the
full URL. It is served only if the version has not moved since: a committed write to any domain
table moves it, so a stale page is never served. Entries expire after PAGE_CACHE_SECONDS.

Not cached: anything but a GET answered 200 with an HTML body, pages with a message to show, and
everything while the triggers are being reinstalled. Accesses the page logged in the access log
are logged again on each serving (accounts/access_log.py), so the log stays complete.

Pages that show confidential notes (the measure page) are not cached: the notes are encrypted at
rest and must not sit in clear in the cache. The cache holds other personal data: in production
it must be a private Redis (CACHE_URL), as the README says.

The pages cached are GET pages that write nothing but the access log, in one statement: they run
outside a transaction (`transaction.non_atomic_requests`), which saves two round trips to the
database on each serving; each of their queries sees what is committed.

The decorator goes under `never_cache` and above the access checks of the view, which run
whenever the page is produced: an entry exists only if they passed for this session at this
version of the data.
"""

import hashlib
import json
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone

from accounts import access_log, data_version


def cached_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        entry = cache.get(key)
        if entry is not None:
            version, content, accesses = entry
            if _still_current(request, version, accesses):
                return HttpResponse(content)
        version = data_version.current()
        if version is None:
            return view(request, *args, **kwargs)
        setattr(request, access_log.CAPTURE, accesses := [])
        try:
            response = view(request, *args, **kwargs)
        finally:
            delattr(request, access_log.CAPTURE)
        if _cacheable_response(response):
            # After the view: rendering may have given the browser its first CSRF secret.
            cache.set(_key(request), (version, response.content, accesses), settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper


def _still_current(request, version: int, accesses: list[dict]) -> bool:
    """Whether the data version is still the one the page was produced at, in which case the
    accesses it logged are logged again, in the same statement (one round trip)."""
    rows = json.dumps(access_log.replay_rows(request, accesses))
    with connection.cursor() as cursor:
        cursor.execute("SELECT lmh_serve_cached_page(%s, %s::jsonb)", [version, rows])
        return cursor.fetchone()[0]


def _cacheable_request(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and request.user.is_authenticated
        and request.session.session_key is not None
        and not _has_messages(request)
    )


def _has_messages(request) -> bool:
    storage = get_messages(request)
    # Counting loads the messages without marking them as shown.
    return len(storage) > 0


def _cacheable_response(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
    )


def _key(request) -> str:
    now = timezone.localtime()
    parts = [
        settings.RELEASE,
        # The quarter hour: deadlines and memberships change with the date, the next committee
        # session on the home page with the time of day.
        now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0).isoformat(),
        request.session.session_key,
        request.META.get("CSRF_COOKIE", ""),
        request.get_full_path(),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()
