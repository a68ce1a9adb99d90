"""The real unit in lessons/content/ keeps the issue's rules."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import textstat

from lessons import loader

ROOT = Path(__file__).resolve().parents[2]
ORIGINALITY = Path("/work/shared/tools/originality.py")


@pytest.fixture(scope="module")
def content():
    return loader.read_content()


def reading(lesson: dict) -> str:
    # Markdown marks and quotation marks do not change how hard the text is to read.
    text = "\n\n".join(s["body"] for s in lesson["sections"])
    return re.sub(r"[*_#>`]", "", text)


def test_the_content_passes_every_loader_check(content):
    assert loader.check_content(content) == []


def test_there_are_at_least_eight_lessons_in_order(content):
    assert len(content.lessons) >= 8
    assert [lesson["order"] for lesson in content.lessons] == list(range(1, len(content.lessons) + 1))


def test_the_lessons_cover_all_nine_facts_sections_in_order(content):
    covered = [n for lesson in content.lessons for n in lesson["facts_sections"]]
    assert set(covered) == set(range(1, 10))
    assert covered == sorted(covered)


@pytest.mark.parametrize("index", range(10))
def test_each_lesson_has_the_right_amount_of_everything(content, index):
    if index >= len(content.lessons):
        pytest.skip("fewer lessons")
    lesson = content.lessons[index]
    words = sum(len(s["body"].split()) for s in lesson["sections"])
    assert 300 <= words <= 700, f"{lesson['_file']}: {words} words"
    assert 2 <= len(lesson["sections"]) <= 5
    assert 4 <= len(lesson["key_terms"]) <= 8
    assert 2 <= len(lesson["prompts"]) <= 4
    assert 2 <= len(lesson["objectives"]) <= 3
    assert all(o.startswith("Students will be able to") for o in lesson["objectives"])
    assert sum(step["minutes"] for step in lesson["plan_steps"]) == lesson["duration_minutes"] == 45
    assert all(p["strong_answer"].strip() for p in lesson["prompts"])


@pytest.mark.parametrize("index", range(10))
def test_each_reading_is_at_grade_8_to_10(content, index):
    if index >= len(content.lessons):
        pytest.skip("fewer lessons")
    lesson = content.lessons[index]
    grade = textstat.flesch_kincaid_grade(reading(lesson))
    assert 8 <= grade <= 10, f"{lesson['_file']}: Flesch-Kincaid grade {grade}"


def test_plans_name_the_required_standards_and_phases(content):
    standards = " ".join(s for lesson in content.lessons for s in lesson["standards"])
    for code in ("RH.9-10.1", "RH.9-10.2", "RH.9-10.6", "RH.9-10.8", "D2.His"):
        assert code in standards, code
    for lesson in content.lessons:
        phases = " ".join(step["phase"].lower() for step in lesson["plan_steps"])
        for phase in ("warm-up", "reading", "discussion", "exit ticket"):
            assert phase in phases, f"{lesson['_file']}: no {phase} step"


def test_prompts_practise_each_historical_thinking_skill(content):
    skills = {p.get("skill") for lesson in content.lessons for p in lesson["prompts"]}
    assert {"sourcing", "contextualisation", "corroboration", "argument"} <= skills


def test_the_central_question_opens_and_closes_the_unit(content):
    first = [p for p in content.lessons[0]["prompts"] if p.get("role") == "first_take"]
    final = [p for p in content.lessons[-1]["prompts"] if p.get("role") == "final_argument"]
    assert len(first) == len(final) == 1
    assert first[0]["kind"] == final[0]["kind"] == "position"
    assert first[0]["positions"] == final[0]["positions"] == content.unit["positions"]


def test_the_timeline_has_fifteen_events_from_1945_to_1953(content):
    dates = [event["date"] for event in content.timeline]
    assert len(dates) >= 15
    assert dates == sorted(dates)
    assert min(dates).year == 1945
    assert max(dates).year == 1953


def test_the_source_is_credited(content):
    credit = content.unit["source_credit"]
    for words in ("Dave Roos", "HISTORY", "A&E Television Networks", "2023", "Samuel Wells", "Fearing the Worst"):
        assert words in credit


@pytest.mark.skipif(not ORIGINALITY.exists(), reason="originality tool not available")
def test_no_passage_repeats_the_source_article():
    result = subprocess.run(
        [sys.executable, str(ORIGINALITY), str(ROOT)], capture_output=True, text=True, check=True, timeout=120
    )
    assert "originality: 0 passage" in result.stdout, result.stdout
