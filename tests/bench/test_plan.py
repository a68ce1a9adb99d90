"""The benchmark's plan and its after-run check, on a tiny seeded school: the
sessions it mints sign the simulated people in, and the check tells a hand-in
saved once from one missing or doubled."""

import pytest
from django.core.management import call_command

from accounts.models import User
from bench import plan as bench_plan
from lessons import services
from lessons.models import Assignment, Prompt, Response, ResponseVersion
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(db):
    for order in range(1, 6):
        lesson = factories.LessonFactory(order=order)
        factories.SectionFactory(lesson=lesson, order=1)
        factories.PromptFactory(lesson=lesson, order=1)
    call_command("seed_school", teachers=1, classes=2, students=3, big_class=True, password="tiny-school-pass")
    return bench_plan.build_plan()


def test_the_plan_resolves_every_endpoint_it_drives(school):
    assert all(school["urls"][name] for name in ("ping", "login", "page", "autosave", "submit", "grid", "review"))


def test_minted_sessions_sign_students_and_teachers_in(school, client):
    seat = (school["students"] or school["bell"])[0]
    for name, value in seat["cookies"].items():
        client.cookies[name] = value
    page = client.get(school["urls"]["page"].format(assignment=seat["assignment"]))
    assert page.status_code == 200

    teacher = school["teachers"][0]
    client.cookies.clear()
    for name, value in teacher["cookies"].items():
        client.cookies[name] = value
    grid = client.get(school["urls"]["grid"].format(assignment=teacher["grids"][0]))
    assert grid.status_code == 200


def test_seats_are_answers_the_student_can_still_edit(school):
    for seat in school["students"] + school["bell"]:
        response = Response.objects.filter(
            assignment_id=seat["assignment"], prompt_id=seat["prompt"], student_id=seat["student"]
        ).first()
        assert response is None or response.is_editable
        assert seat["version"] == (response.version if response else 0)


def hand_in(seat: dict) -> None:
    services.submit_response(
        student=User.objects.get(pk=seat["student"]),
        assignment=Assignment.objects.get(pk=seat["assignment"]),
        prompt=Prompt.objects.get(pk=seat["prompt"]),
        answer=services.Answer(body="My final answer"),
        base_version=seat["version"],
    )


def confirmation(seat: dict) -> dict:
    return {key: seat[key] for key in ("student", "assignment", "prompt")}


def test_the_check_finds_saved_missing_and_doubled_hand_ins(school):
    seats = school["bell"]
    assert len(seats) >= 3
    saved, unsaved, doubled = seats[:3]
    hand_in(saved)
    hand_in(doubled)
    twice = Response.objects.get(
        assignment_id=doubled["assignment"], prompt_id=doubled["prompt"], student_id=doubled["student"]
    )
    ResponseVersion.objects.create(response=twice, kind=ResponseVersion.Kind.SUBMITTED, version=twice.version)

    result = bench_plan.verify(school, [confirmation(s) for s in (saved, unsaved, doubled)], "bell")

    assert result["expected"] == len(seats)
    assert result["confirmed"] == 3
    assert result["saved_once"] == 1
    assert len(result["missing"]) == 2  # the one never saved, and the one saved twice
    assert len(result["doubled"]) == 1


def test_a_hand_in_submitted_twice_by_the_student_is_still_saved_once(school):
    seat = school["bell"][0]
    hand_in(seat)
    hand_in(seat)  # a double click, or a retry after a lost answer

    result = bench_plan.verify(school, [confirmation(seat)], "bell")

    assert result["saved_once"] == 1
    assert result["missing"] == []
    assert result["doubled"] == []
