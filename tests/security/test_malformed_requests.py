"""Malformed requests to every URL get a clear 4xx (or the form again with its
errors), never a server error: wrong types, missing fields, huge bodies,
broken JSON, unknown and non-numeric ids."""

import json
import re
import traceback

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from .test_access_matrix import owner_of, url_for
from .urlwalk import project_routes
from .world import build_world

pytestmark = pytest.mark.django_db

TEXT_FIELDS = [
    "body", "text", "comment", "name", "position", "quoted_sentence", "usernames", "names", "username",
    "password", "password1", "password2", "new_password1", "new_password2", "old_password", "email", "code",
    "join_code", "display_name", "confirm_username", "action", "lesson", "lessons", "prompts", "students",
    "opens_at", "due_at", "late_policy", "version", "base_version", "hidden", "cited_sections", "claim",
    "evidence", "reasoning", "sources", "confirm", "joining_open", "discussion_on", "post_first", "next",
]  # fmt: skip

FORM_BATCH = {
    "missing fields": {},
    "wrong types": dict.fromkeys(TEXT_FIELDS, "not-a-number-[]{}"),
    "numbers out of range": dict.fromkeys(TEXT_FIELDS, "99999999999999999999999"),
    "negative numbers": dict.fromkeys(TEXT_FIELDS, "-1"),
    "lists where one value is expected": {name: ["1", "2", "x"] for name in TEXT_FIELDS},
    "control characters and nul": dict.fromkeys(TEXT_FIELDS, "a\x00b\x01c"),
    "very long text": dict.fromkeys(("body", "text", "comment", "name", "usernames"), "x" * 200000),
    # str.isdigit() is true for these, yet int() refuses the superscript and the maths digit.
    "digits that are not decimal": {name: ["\u00b2", "\u0661", "\U0001d7d9"] for name in TEXT_FIELDS},
    "dates in the wrong format": {"opens_at": "31/31/2027 25:61", "due_at": "yesterday", "version": "1.5"},
}
JSON_BATCH = {
    "broken JSON": b"{not json",
    "JSON that is not an object": b"[1, 2, 3]",
    "JSON with wrong types": json.dumps(
        {"version": "abc", "body": {"a": 1}, "cited_sections": "abc", "position": [1], "keep_previous": "x"}
    ).encode(),
    "JSON with unknown section ids": json.dumps({"version": 1, "body": "x", "cited_sections": [999999, "a"]}).encode(),
    "JSON with huge numbers": json.dumps({"version": 10**30, "body": "x", "cited_sections": [10**30]}).encode(),
    "JSON null": b"null",
    "JSON with a NUL character": json.dumps({"version": 0, "body": "a\u0000b", "quoted_sentence": "\u0000"}).encode(),
    "not UTF-8": b"\xff\xfe\xfa",
}
ACCEPTABLE = {200, 302, 400, 401, 403, 404, 405, 409, 413, 422, 429}  # 429: a throttle (joining)


def personas_for(route, world) -> list:
    owner = owner_of(route)
    if owner == "student":
        return [world.student]
    if owner == "teacher" or route.route.startswith("teach"):
        return [world.teacher]
    return [None, world.teacher, world.student]  # public forms: try everyone


def send(client: Client, method: str, url: str, **kwargs) -> tuple[int, str]:
    """Make the request inside a savepoint that is rolled back afterwards, so
    every request meets the same world (a POST may delete what the next needs)."""
    with transaction.atomic():
        try:
            response = getattr(client, method)(url, **kwargs)
        except Exception:  # a crash is what this test looks for
            transaction.set_rollback(True)
            return 500, traceback.format_exc(limit=-4)
        transaction.set_rollback(True)
    content = b"" if response.streaming else response.content
    return response.status_code, content[:300].decode("utf-8", "replace")


def fresh_draft_urls(world) -> list[tuple[str, str]]:
    """The answer URLs again, for a question the student has not answered yet, so
    that the batch reaches the code that creates a draft (in the matrix's world the
    student's answer to the other question is already submitted)."""
    args = [world.assignment.pk, world.position_prompt.pk]
    return [(name, reverse(name, args=args)) for name in ("coursework:autosave", "coursework:answer")]


def test_malformed_posts_to_every_url_never_cause_a_server_error():
    failures = []
    world = build_world()
    targets = [(route, url_for(world, route)) for route in project_routes() if route.name != "admin:index"]
    by_name = {route.name: route for route, _url in targets}
    targets += [(by_name[name], url) for name, url in fresh_draft_urls(world)]
    for route, url in targets:
        for user in personas_for(route, world):
            client = Client()
            for label, data in FORM_BATCH.items():
                if user is not None:
                    client.force_login(user)
                status, body = send(client, "post", url, data=data)
                if status not in ACCEPTABLE:
                    failures.append(f"POST {route.name} {label} as {user}: {status}\n{body}")
            for label, raw in JSON_BATCH.items():
                if user is not None:
                    client.force_login(user)
                status, body = send(
                    client, "post", url, data=raw, content_type="application/json", headers={"accept": "application/json"}
                )
                if status not in ACCEPTABLE:
                    failures.append(f"POST {route.name} {label} as {user}: {status}\n{body}")
    assert not failures, "\n\n".join(failures)


# Views that read the posted form or JSON, and so must refuse an oversized body.
READS_THE_BODY = {
    "coursework:answer", "coursework:autosave", "coursework:reply", "coursework:assign", "coursework:edit",
    "review:response", "review:comment_bank_add", "teach:classroom_new", "teach:classroom_edit",
    "teach:students_add", "privacy_tools:student_delete", "accounts:login", "accounts:signup", "join",
}  # fmt: skip


def test_a_body_larger_than_the_limit_is_refused_and_never_crashes():
    huge = {"body": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}
    failures = []
    world = build_world()
    for route in project_routes():
        if route.name == "admin:index":
            continue
        client = Client()
        client.force_login(world.student if route.route.startswith("learn/") else world.teacher)
        if route.name in {"accounts:login", "accounts:signup", "join"}:
            client.logout()
        status, body = send(client, "post", url_for(world, route), data=huge)
        if status not in ACCEPTABLE or (route.name in READS_THE_BODY and status != 400):
            failures.append(f"{route.name}: {status} {body[:400]}")
    assert not failures, "\n".join(failures)


def test_the_autosave_endpoint_explains_a_broken_request_in_json():
    world = build_world()
    client = Client()
    client.force_login(world.student)
    url = reverse("coursework:autosave", args=[world.assignment.pk, world.prompt.pk])
    for raw in JSON_BATCH.values():
        response = client.post(url, data=raw, content_type="application/json")
        assert response.status_code in {400, 409}, raw
        assert response.json()["error"], raw


def test_unknown_ids_are_404_for_the_people_who_could_open_the_real_ones():
    world = build_world()
    failures = []
    for route in project_routes():
        ids = [p for p in route.params if p == "pk" or p.endswith("_pk")]
        if not ids:
            continue
        kwargs = {}
        real = reverse(route.name, kwargs={**(url_for_kwargs(world, route))})
        for unknown in (999_999, 2**63 - 1, 10**25):
            kwargs = {**url_for_kwargs(world, route), **dict.fromkeys(ids, unknown)}
            url = reverse(route.name, kwargs=kwargs)
            user = world.student if route.route.startswith("learn/") else world.teacher
            for method in ("get", "post"):
                client = Client()
                client.force_login(user)
                status, body = send(client, method, url)
                if status not in {404, 405}:
                    failures.append(f"{method.upper()} {route.name} {url} (real: {real}): {status} {body}")
    assert not failures, "\n".join(failures)


def url_for_kwargs(world, route) -> dict:
    from .test_access_matrix import KWARGS

    return KWARGS[route.name](world)


def test_non_numeric_ids_are_404():
    world = build_world()
    client = Client()
    client.force_login(world.teacher)
    for route in project_routes():
        if "<int:" not in route.route:
            continue
        path = "/" + re.sub(r"<int:\w+>", "abc", route.route)
        assert client.get(path).status_code == 404, path
        assert client.post(path).status_code == 404, path


def test_query_strings_with_nonsense_do_not_break_any_page():
    world = build_world()
    failures = []
    nonsense = "?page=abc&student=abc&prompt=-1&sort=%3Cscript%3E&filter=%00&status=nope&next=https://evil.example/"
    for route in project_routes():
        url = url_for(world, route) + nonsense
        users = [None, world.teacher, world.student, world.staff]
        for user in users:
            client = Client()
            if user is not None:
                client.force_login(user)
            status, body = send(client, "get", url)
            if status not in ACCEPTABLE:
                failures.append(f"GET {url} as {user}: {status}\n{body}")
    assert not failures, "\n\n".join(failures)

