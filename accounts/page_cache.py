"""Whole pages served again from the cache until the data they show changes.

A page is cached with the data version it was produced at (accounts/data_version.py), under a key
made of the date and quarter hour it was asked in (deadlines and memberships depend on the date,
the next committee session on the time of day), the session and CSRF secret of whoever asked (so
an entry only ever serves the session that produced it, with its own CSRF token in the forms of
the header), the release (settings.RELEASE: a deployment starts afresh), the secret key and
authentication backends (changing them ends the sessions) and the full URL. It is served only if
the version has not moved since: a committed write to any domain table moves it, so a stale page
is never served. Entries expire after PAGE_CACHE_SECONDS.

`PageCacheMiddleware` serves the entries, before the authentication middlewares: loading the user
and the second-factor device would cost more than the page. It may skip them because what they
check is all in tracked tables or in the session: the version is read *before* the user is loaded
for the page, so an unchanged version vouches that the user (still active, same password) and
the device (still there) passed the checks they passed then; the session must still hold the same
user, password hash and device, be within its time limits (accounts/middleware.py) and have no
message to show. Anything else (no entry, another version, a session to end) goes through the
whole chain, which produces the page afresh or refuses it. The response replays the headers the
inner middlewares gave the page (security policy, frames, no-store).

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
from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.messages.storage import default_storage
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from accounts import access_log, data_version
from accounts.middleware import CURRENT, TO_TOUCH, session_state, touch

MARK = "page_cached"
PRODUCTION = "_page_cache_production"


@dataclass
class Production:
    """A page being produced for the cache: the version read before anything else, the session's
    owner then, and the accesses the page logs."""

    version: int
    owner: tuple
    accesses: list[dict] = field(default_factory=list)
    cacheable: bool = False


@dataclass(frozen=True)
class Entry:
    version: int
    owner: tuple
    content: bytes
    headers: dict
    accesses: list[dict]


def cached_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        production = getattr(request, PRODUCTION, None)
        if production is not None and _cacheable_request(request):
            production.cacheable = True
        return view(request, *args, **kwargs)

    setattr(wrapper, MARK, True)  # copied onto the decorators above it by functools.wraps
    return wrapper


class PageCacheMiddleware:
    """Serves cached pages; stores the pages of the views marked with `cached_page`. Goes after
    the session and CSRF middlewares, before authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        owner = _owner(request.session) if request.method == "GET" else None
        if settings.PAGE_CACHE_SECONDS <= 0 or owner is None or not _cached_view(request.path_info):
            return self.get_response(request)
        quarter_hour = _quarter_hour()
        served = _serve(request, quarter_hour, owner)
        if served is not None:
            return served
        # Read before the authentication middleware loads the user: see the module's docstring.
        version = data_version.current()
        if version is None:
            return self.get_response(request)
        production = Production(version, owner)
        setattr(request, PRODUCTION, production)
        # Whatever the page logs, until its response is rendered.
        setattr(request, access_log.CAPTURE, production.accesses)
        response = self.get_response(request)
        if production.cacheable and _cacheable_response(response) and _owner(request.session) == production.owner:
            entry = Entry(version, production.owner, response.content, dict(response.headers), production.accesses)
            # The key after the page (rendering may have given the browser its first CSRF secret),
            # with the quarter hour the page was asked at.
            cache.set(_key(request, quarter_hour), entry, settings.PAGE_CACHE_SECONDS)
        return response


def _owner(session) -> tuple | None:
    """Who the session is logged in as, with the second factor given, or None."""
    owner = tuple(
        session.get(key) for key in (SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY, DEVICE_ID_SESSION_KEY)
    )
    return owner if None not in owner else None


def _serve(request, quarter_hour: str, owner: tuple) -> HttpResponse | None:
    entry = cache.get(_key(request, quarter_hour))
    if not isinstance(entry, Entry) or entry.owner != owner:
        return None
    state = session_state(request.session)
    if state not in (CURRENT, TO_TOUCH) or _has_messages(request):
        return None  # the session ends, or a message waits: the whole chain deals with it
    if not _still_current(request, entry):
        return None
    if state == TO_TOUCH:
        touch(request.session)
    return HttpResponse(entry.content, headers=entry.headers)


def _still_current(request, entry: Entry) -> bool:
    """Whether the data version is still the one the page was produced at, in which case the
    accesses it logged are logged again, in the same statement (one round trip)."""
    user_id = int(entry.owner[0])  # the session's user: _serve compared the owners
    rows = json.dumps(access_log.replay_rows(request, entry.accesses, user_id))
    with connection.cursor() as cursor:
        cursor.execute("SELECT lmh_serve_cached_page(%s, %s::jsonb)", [entry.version, rows])
        return cursor.fetchone()[0]


def _cached_view(path: str) -> bool:
    try:
        return getattr(resolve(path).func, MARK, False)
    except Resolver404:
        return False


def _cacheable_request(request) -> bool:
    return request.user.is_authenticated and not _has_messages(request)


def _has_messages(request) -> bool:
    # Before the messages middleware (serving), its storage is not on the request yet.
    storage = getattr(request, "_messages", None) or default_storage(request)
    # Counting loads the messages without marking them as shown.
    return len(storage) > 0


def _cacheable_response(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
    )


def _quarter_hour() -> str:
    """Deadlines and memberships change with the date, the next committee session on the home
    page with the time of day: a page is kept for the quarter hour it was asked in."""
    now = timezone.localtime()
    return now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0).isoformat()


def _key(request, quarter_hour: str) -> str:
    parts = [
        settings.RELEASE,
        # A new secret key or another set of backends ends every session Django checks: their
        # pages must not outlive them.
        settings.SECRET_KEY,
        *settings.AUTHENTICATION_BACKENDS,
        quarter_hour,
        request.session.session_key,
        request.META.get("CSRF_COOKIE", ""),
        request.get_full_path(),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()
