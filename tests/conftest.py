"""Shared fixtures: the three personas of most tests, and a small unit."""

import pytest
from django.test.utils import CaptureQueriesContext

from tests import factories


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests serve files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def teacher(db):
    return factories.TeacherFactory()


@pytest.fixture
def other_teacher(db):
    return factories.TeacherFactory()


@pytest.fixture
def classroom(teacher):
    return factories.ClassroomFactory(teacher=teacher)


@pytest.fixture
def student(classroom):
    return factories.EnrollmentFactory(classroom=classroom).student


@pytest.fixture
def outsider_student(db):
    """A student of another teacher's class."""
    return factories.EnrollmentFactory().student


@pytest.fixture
def staff(db):
    return factories.StaffFactory()


@pytest.fixture
def lesson(db):
    return factories.LessonFactory()


@pytest.fixture
def count_queries(django_assert_num_queries):
    """Run a callable and return how many queries it made."""
    from django.db import connection

    def run(func):
        with CaptureQueriesContext(connection) as ctx:
            func()
        return len(ctx.captured_queries)

    return run
