"""The curriculum in the Django admin: staff edit the unit there."""

import pytest
from django.urls import reverse

from lessons import loader
from lessons.models import Lesson, Section, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_loaded():
    loader.load_unit()


@pytest.mark.parametrize("model", ["unit", "lesson", "section", "prompt", "keyterm", "quotation", "timelineevent"])
def test_staff_can_list_and_search_every_curriculum_model(client, staff, unit_loaded, model):
    client.force_login(staff)
    assert client.get(reverse(f"admin:lessons_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:lessons_{model}_changelist"), {"q": "Stalin"}).status_code == 200


def test_lesson_change_page_has_every_part_inline(client, staff, unit_loaded):
    lesson = Lesson.objects.get(order=1)
    client.force_login(staff)
    html = client.get(reverse("admin:lessons_lesson_change", args=[lesson.pk])).content.decode()
    for prefix in ("sections", "key_terms", "quotations", "prompts", "plan_steps"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html
    assert "View on site" in html
    assert "Markdown" in html  # the help text explains it


def test_lesson_list_flags_rows_edited_since_loading(client, staff, unit_loaded):
    Lesson.objects.filter(order=1).update(title="Edited title")
    client.force_login(staff)
    html = client.get(reverse("admin:lessons_lesson_changelist")).content.decode()
    assert html.count('alt="True"') == 1


def test_publish_action_publishes_draft_lessons(client, staff, unit_loaded):
    Lesson.objects.update(status=Status.DRAFT)
    client.force_login(staff)
    pks = list(Lesson.objects.values_list("pk", flat=True))
    client.post(reverse("admin:lessons_lesson_changelist"), {"action": "publish", "_selected_action": pks})
    assert not Lesson.objects.filter(status=Status.DRAFT).exists()


def test_teachers_cannot_edit_the_unit(client, teacher, unit_loaded):
    client.force_login(teacher)
    section = Section.objects.first()
    response = client.get(reverse("admin:lessons_section_change", args=[section.pk]))
    assert response.status_code == 302


def test_lesson_changelist_query_count_does_not_grow_with_lessons(client, staff, count_queries):
    from tests.lessons.unit_helpers import full_lesson

    full_lesson(size=2)
    client.force_login(staff)
    url = reverse("admin:lessons_lesson_changelist")
    few = count_queries(lambda: client.get(url))
    for _ in range(5):
        full_lesson(size=3)
    assert count_queries(lambda: client.get(url)) == few
