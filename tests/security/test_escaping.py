"""Everything people type is shown escaped, on every page; Markdown written by
admins is sanitised."""

import pytest
from django.urls import reverse

from lessons.markdown import render_markdown
from tests import factories

from .test_access_matrix import PERSONAS, persona_user, url_for
from .urlwalk import project_routes
from .world import build_world

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)><b>bold</b>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_typed_text_is_escaped_on_every_page_for_every_persona(client):
    """Display names, class names, answers, drafts, replies, feedback and the
    comment bank all carry the payload; no page may send it back as markup."""
    world = build_world(mark=PAYLOAD)
    shown_escaped = set()
    for route in project_routes():
        url = url_for(world, route)
        for persona in PERSONAS:
            client.logout()
            user = persona_user(world, persona)
            if user is not None:
                client.force_login(user)
            response = client.get(url)
            if response.status_code != 200 or response.streaming:
                continue
            content = response.content.decode("utf-8", errors="replace")
            kind = response.get("Content-Type", "")
            if "html" not in kind:
                continue  # CSV and JSON downloads are not rendered by a browser
            assert "<script>alert" not in content, f"{route.name} as {persona} sends the payload unescaped"
            assert "onerror=alert" not in content.replace("onerror=alert(2)&gt;", ""), (
                f"{route.name} as {persona} sends an attribute unescaped"
            )
            assert "<b>bold</b>" not in content, f"{route.name} as {persona} renders typed HTML"
            if ESCAPED in content:
                shown_escaped.add(route.name)
    # The test is only worth something if the payload really reached the pages.
    for name in ("teach:dashboard", "teach:classroom", "review:progress", "review:response", "coursework:learn"):
        assert name in shown_escaped, f"{name} never showed the typed text; is the test world still shown there?"


def test_csv_exports_neutralise_formulas_typed_by_students(client):
    world = build_world(mark="=HYPERLINK(\"http://evil.example\")")
    client.force_login(world.teacher)
    response = client.get(reverse("review:export_csv", args=[world.assignment.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    assert ",=HYPERLINK" not in text and "\n=HYPERLINK" not in text
    assert '"=HYPERLINK' not in text


def test_the_json_export_is_served_as_a_download_not_a_page(client):
    world = build_world(mark=PAYLOAD)
    client.force_login(world.teacher)
    response = client.get(reverse("privacy_tools:student_export", args=[world.student.pk]))
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("<img src=x onerror=alert(1)>", "onerror"),
        ("[click](javascript:alert(1))", "javascript:"),
        ("<a href=\"https://example.org\" onclick=\"alert(1)\">x</a>", "onclick"),
        ("<iframe src=\"https://example.org\"></iframe>", "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
        ("<div style=\"position:fixed\">x</div>", "style="),
        ("<form action=\"https://evil.example\"><input name=p></form>", "<form"),
        ("![x](https://tracker.example/pixel.png)", "<img"),
        ("<svg onload=alert(1)>", "<svg"),
    ],
)
def test_admin_markdown_is_sanitised(source, forbidden):
    html = str(render_markdown(f"Some text.\n\n{source}\n\nMore text."))
    assert forbidden not in html.lower()
    assert "Some text." in html and "More text." in html


def test_markdown_keeps_safe_formatting_and_links():
    html = str(render_markdown("**bold** and *italic*\n\n- one\n- two\n\n[a source](https://www.example.org/)"))
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert "<li>one</li>" in html
    assert 'href="https://www.example.org/"' in html
    assert 'rel="noopener noreferrer"' in html


def test_markup_in_a_section_body_never_reaches_the_reading_page(client):
    lesson = factories.LessonFactory()
    factories.SectionFactory(lesson=lesson, body="Read this.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))")
    response = client.get(reverse("lessons:detail", args=[lesson.slug]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Read this." in content
    assert "<script>alert" not in content
    assert "javascript:alert" not in content


def test_typed_text_is_escaped_in_the_admin_too(client):
    from django.contrib import admin

    world = build_world(mark=PAYLOAD)
    client.force_login(world.staff)
    seen = 0
    for model in admin.site._registry:
        opts = model._meta
        urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
        urls += [
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])
            for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:3]
        ]
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            content = response.content.decode()
            assert "<script>alert" not in content, url
            assert "<b>bold</b>" not in content, url
            seen += ESCAPED in content
    assert seen > 3
