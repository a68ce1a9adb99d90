"""Hardening headers and cookies: CSP on every response, framing, referrer,
HSTS and secure cookies with the production settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

# The settings that production (no DJANGO_DEBUG, no DJANGO_TESTING) derives
# from its environment; read in a fresh interpreter, then applied in-process so
# real requests show what production sends.
PRODUCTION_SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "DEBUG",
]


@pytest.fixture(scope="module")
def production_settings() -> dict:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {PRODUCTION_SECURITY_SETTINGS!r}}}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="korea_lessons.settings",
        DJANGO_SECRET_KEY="a-long-random-production-secret-key-for-this-test-only-1234567890",
        DJANGO_ALLOWED_HOSTS="lessons.school.example",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def in_production(settings, production_settings):
    for name, value in production_settings.items():
        setattr(settings, name, value)
    settings.ALLOWED_HOSTS = ["testserver"]
    return production_settings


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_strict_csp(response) -> None:
    directives = csp_directives(response)
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts is not None, "no script-src or default-src"
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    assert directives.get("frame-ancestors") == ["'none'"]
    assert directives.get("object-src") == ["'none'"]
    for name, sources in directives.items():
        for source in sources:
            # Only our own origin (and data: images): no host, scheme or wildcard.
            assert source in {"'self'", "'none'", "data:"}, f"{name} allows {source}"


PUBLIC_PATHS = ["/", "/lessons/", "/timeline/", "/privacy/", "/accounts/login/", "/join/", "/healthz"]


@pytest.mark.parametrize("path", PUBLIC_PATHS + ["/no-such-page/"])
def test_every_public_response_has_a_strict_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code in {200, 404}
    assert_strict_csp(response)


def test_signed_in_pages_and_redirects_carry_the_policy_too(client):
    assert_strict_csp(client.get(reverse("teach:dashboard")))  # redirect to sign-in
    client.force_login(factories.TeacherFactory())
    assert_strict_csp(client.get(reverse("teach:dashboard")))
    client.force_login(factories.StaffFactory())
    assert_strict_csp(client.get("/admin/"))


def test_the_policy_forbids_inline_scripts_for_every_page_of_the_settings(settings):
    policy = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_pages_cannot_be_framed_and_leak_no_referrer_to_other_sites(client, path):
    response = client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_turns_on_https_only_cookies_and_hsts(production_settings):
    assert production_settings["DEBUG"] is False
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["SECURE_HSTS_SECONDS"] >= 31536000
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["SESSION_COOKIE_HTTPONLY"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True
    assert production_settings["X_FRAME_OPTIONS"] == "DENY"


def test_in_production_plain_http_is_redirected_to_https(client, in_production):
    response = client.get("/lessons/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_in_production_responses_carry_hsts(client, in_production):
    response = client.get("/lessons/", secure=True)
    assert response.status_code == 200
    hsts = response.headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts
    assert_strict_csp(response)


def test_in_production_the_session_and_csrf_cookies_are_secure_and_the_session_httponly(client, in_production):
    teacher = factories.TeacherFactory()
    page = client.get(reverse("accounts:login"), secure=True)
    assert page.status_code == 200
    response = client.post(
        reverse("accounts:login"),
        {"username": teacher.username, "password": "correct-horse-battery"},
        secure=True,
    )
    assert response.status_code == 302, response.content[:500]
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["secure"] is True


def test_json_responses_carry_the_policy_and_nosniff(client):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert_strict_csp(response)


def test_a_server_error_page_keeps_the_headers_and_shows_no_detail(settings):
    from django.test import Client

    settings.ROOT_URLCONF = "tests.security.crash_urls"
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/crash-for-tests/")
    assert response.status_code == 500
    assert b"hunter2" not in response.content
    assert b"Traceback" not in response.content
    assert_strict_csp(response)
    assert response.headers["X-Frame-Options"] == "DENY"
