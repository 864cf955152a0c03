"""Whole pages served again from the cache until the data they show changes.

A page is cached under a key made of: the data version (accounts/data_version.py), today's date
(deadlines and memberships depend on it), the session and CSRF secret of whoever asked (so an
entry only ever serves the session that produced it, with its own CSRF token in the forms of the
header), the release (settings.RELEASE: a deployment starts afresh) and the full URL. A committed
write to any domain table moves the version, so a stale page is never served; entries also
expire after settings.PAGE_CACHE_SECONDS.

Not cached: anything but a GET answered 200 with an HTML body, pages with a message to show, and
everything while the triggers are being reinstalled. Accesses the page logged in the access log
are logged again on each serving (accounts/access_log.py), so the log stays complete.

The cache holds personal data: in production it must be a private Redis (CACHE_URL), as the
README says. The pages cached are GET pages that write nothing but the access log, in one
statement: they run outside a transaction (`transaction.non_atomic_requests`), which saves two
round trips to the database on each serving; each of their queries sees what is committed.

The decorator goes under `never_cache` and above the access checks of the view, which run
whenever the page is produced: an entry exists only if they passed for this session at this
version of the data.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from accounts import access_log, data_version


def cached_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        version = data_version.current()
        if version is None:
            return view(request, *args, **kwargs)
        entry = cache.get(_key(request, version))
        if entry is not None:
            content, accesses = entry
            access_log.replay(request, accesses)
            return HttpResponse(content)
        setattr(request, access_log.CAPTURE, accesses := [])
        response = view(request, *args, **kwargs)
        delattr(request, access_log.CAPTURE)
        if _cacheable_response(response):
            # After the view: rendering may have given the browser its first CSRF secret.
            cache.set(_key(request, version), (response.content, accesses), settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper


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


def _key(request, version: int) -> str:
    parts = [
        settings.RELEASE,
        str(version),
        timezone.localdate().isoformat(),
        request.session.session_key,
        request.META.get("CSRF_COOKIE", ""),
        request.get_full_path(),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()
