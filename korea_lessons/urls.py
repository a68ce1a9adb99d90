"""Root URLs. Each area of the app owns its own URL module."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from accounts import views as account_views
from lessons.views import curriculum

from . import views

urlpatterns = [
    path("", curriculum.home, name="home"),
    path("", include("lessons.urls")),
    path("accounts/", include("accounts.urls")),
    path("teach/", include("accounts.teach_urls")),
    path("teach/", include("accounts.privacy_urls")),
    path("join/", account_views.join, name="join"),
    path("", include("lessons.coursework_urls")),
    path("", include("lessons.review_urls")),
    path("privacy/", TemplateView.as_view(template_name="privacy.html"), name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("admin/", admin.site.urls),
]
