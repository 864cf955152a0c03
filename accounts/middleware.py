from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

LOGIN_AT = "login_at"
LAST_SEEN = "last_seen"
# The session is written at most once a minute: reads of the pages stay free of session writes.
TOUCH_EVERY = timedelta(minutes=1)


class SessionLimitsMiddleware:
    """A session ends after 30 minutes of inactivity (SESSION_INACTIVITY_MINUTES) and in any case
    12 hours after login (SESSION_MAX_HOURS). A deactivated account loses its session at its next
    request (Django's backend no longer returns the user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            state = session_state(request.session)
            if state == EXPIRED:
                logout(request)
                messages.info(request, "Votre session a expiré : reconnectez-vous pour continuer.")
                return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
            if state in (STARTING, TO_TOUCH):
                touch(request.session, starting=state == STARTING)
        elif SESSION_KEY in request.session:
            # The account was deactivated: its session goes for good (a reactivation starts afresh).
            request.session.flush()
        return self.get_response(request)


# What a logged-in session needs at a request (session_state).
STARTING, EXPIRED, TO_TOUCH, CURRENT = "starting", "expired", "to touch", "current"


def session_state(session) -> str:
    """Whether a logged-in session has just started, has run past its limits, is due for its
    once-a-minute mark of activity, or is current. Also used by the page cache, which serves
    pages before this middleware (accounts/page_cache.py)."""
    now = timezone.now()
    started, seen = _moment(session.get(LOGIN_AT)), _moment(session.get(LAST_SEEN))
    if started is None:
        return STARTING
    if now - started > timedelta(hours=settings.SESSION_MAX_HOURS) or (
        seen and now - seen > timedelta(minutes=settings.SESSION_INACTIVITY_MINUTES)
    ):
        return EXPIRED
    if seen is None or now - seen > TOUCH_EVERY:
        return TO_TOUCH
    return CURRENT


def touch(session, *, starting: bool = False) -> None:
    now = timezone.now().isoformat()
    if starting:
        session[LOGIN_AT] = now
    session[LAST_SEEN] = now


def _moment(value):
    return datetime.fromisoformat(value) if value else None


class RequireTwoFactorMiddleware:
    """Every account needs its second factor: a logged-in user who has not given it yet reaches
    only the two-factor pages (enrolment at first login) and logout."""

    EXEMPT = ("two_factor", "two_factor_enrol", "backup_codes", "logout", "healthz", "readyz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            match = request.resolver_match or _resolve(request.path_info)
            if match is None or match.url_name not in self.EXEMPT:
                return redirect(f"{reverse('two_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _resolve(path):
    from django.urls import Resolver404, resolve

    try:
        return resolve(path)
    except Resolver404:
        return None


class NoStoreMiddleware:
    """Pages seen by a logged-in user show case files: browsers and proxies must not keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
