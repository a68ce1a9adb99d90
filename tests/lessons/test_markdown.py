"""The `markdown` filter: Markdown rendered, then sanitised."""

from django.template import Context, Template

from lessons.markdown import render_markdown


def test_markdown_is_rendered():
    html = render_markdown("Some **bold** and *italic*.\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<li>one</li>" in html


def test_scripts_and_event_handlers_are_removed():
    html = render_markdown("<script>alert(1)</script><img src=x onerror=alert(1)><p onclick='x'>hi</p>")
    assert "script" not in html
    assert "onerror" not in html and "onclick" not in html
    assert "<img" not in html


def test_javascript_links_lose_their_href():
    html = render_markdown("[click](javascript:alert(1)) and [site](https://example.org)")
    assert "javascript:" not in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer"' in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_the_template_filter_renders_without_escaping_the_safe_html():
    html = Template("{% load lesson_tags %}{{ text|markdown }}").render(Context({"text": "**hi** <b>x</b>"}))
    assert html.strip() == "<p><strong>hi</strong> <b>x</b></p>"
