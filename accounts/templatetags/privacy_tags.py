"""The numbers the privacy page states, read from settings so it never drifts."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def retention() -> dict[str, int]:
    return {
        "archived_class_days": settings.ARCHIVED_CLASS_RETENTION_DAYS,
        "signin_record_days": settings.SIGNIN_RECORD_RETENTION_DAYS,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME * 60),
    }
