"""Configuration read from the environment, and the production checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "korea_lessons.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_python("import django; django.setup()")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_deploy_check_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-1234567890",
            "DJANGO_ALLOWED_HOSTS": "lessons.school.example",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_database_url_selects_postgresql():
    result = run_python(
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/korea",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql", result.stderr


def test_redis_url_selects_the_shared_cache():
    result = run_python(
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        DJANGO_DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6379/1",
    )
    assert result.stdout.strip() == "django_redis.cache.RedisCache", result.stderr


def test_without_redis_the_cache_is_local_memory():
    result = run_python(
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])", DJANGO_DEBUG="1"
    )
    assert result.stdout.strip().endswith("LocMemCache"), result.stderr


@pytest.mark.django_db
def test_custom_user_model_has_a_role():
    from django.contrib.auth import get_user_model

    User = get_user_model()
    assert User._meta.label == "accounts.User"
    assert {choice for choice, _ in User.Role.choices} == {"teacher", "student"}
