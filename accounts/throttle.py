"""Counting bad join codes per client address, in the shared cache (Redis in
production), so that guessing codes is slow on every app server at once."""

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpRequest

BAD_CODE_LIMIT = 10
BAD_CODE_WINDOW_SECONDS = 15 * 60


def _key(request: HttpRequest) -> str:
    # The address as django-axes resolves it, so proxies are configured once
    # (AXES_IPWARE_* settings) for both sign-in and join throttling.
    return f"join-bad-codes:{get_client_ip_address(request) or 'unknown'}"


def bad_codes_exhausted(request: HttpRequest) -> bool:
    return (cache.get(_key(request)) or 0) >= BAD_CODE_LIMIT


def record_bad_code(request: HttpRequest) -> int:
    key = _key(request)
    # add() starts the window only if none is running; incr() is atomic in
    # Redis and in the local-memory cache.
    cache.add(key, 0, timeout=BAD_CODE_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # the window expired between add() and incr()
        cache.set(key, 1, timeout=BAD_CODE_WINDOW_SECONDS)
        return 1
