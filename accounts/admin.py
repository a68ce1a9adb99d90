from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Classroom, Enrollment, User


class UserEnrollmentInline(admin.TabularInline):
    """The classes a student is in."""

    model = Enrollment
    fk_name = "student"
    extra = 0
    autocomplete_fields = ["classroom"]
    readonly_fields = ["joined_at"]
    verbose_name = _("class")
    verbose_name_plural = _("classes")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "is_staff", "must_change_password", "last_login", "date_joined"]
    list_filter = ["role", "must_change_password", "is_staff", "is_superuser", "is_active"]
    search_fields = ["username", "display_name", "first_name", "last_name", "email"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Korea Lessons"), {"fields": ("role", "display_name", "must_change_password")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Korea Lessons"), {"fields": ("role", "display_name")}),)
    inlines = [UserEnrollmentInline]


class EnrollmentInline(admin.TabularInline):
    """The class's roster."""

    model = Enrollment
    extra = 0
    autocomplete_fields = ["student"]
    readonly_fields = ["joined_at", "student_last_login"]
    fields = ["student", "joined_at", "student_last_login"]
    verbose_name = _("student")
    verbose_name_plural = _("roster")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("student")

    @admin.display(description=_("last sign-in"))
    def student_last_login(self, enrollment):
        return enrollment.student.last_login


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ["name", "teacher", "student_count", "join_code", "joining_open", "archived_at", "created_at"]
    list_filter = ["joining_open", ("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "join_code", "teacher__username", "teacher__display_name"]
    list_select_related = ["teacher"]
    autocomplete_fields = ["teacher"]
    readonly_fields = ["created_at"]
    inlines = [EnrollmentInline]
    actions = ["regenerate_codes", "archive_classes"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_student_count=Count("enrollments", distinct=True))

    @admin.display(description=_("students"), ordering="_student_count")
    def student_count(self, classroom):
        return classroom._student_count

    @admin.action(description=_("Give the selected classes new join codes"))
    def regenerate_codes(self, request, queryset):
        count = 0
        for classroom in queryset.filter(archived_at__isnull=True):
            classroom.regenerate_join_code()
            count += 1
        self.message_user(
            request, ngettext("%d class has a new code.", "%d classes have new codes.", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("Archive the selected classes"))
    def archive_classes(self, request, queryset):
        count = 0
        for classroom in queryset.filter(archived_at__isnull=True):
            classroom.archive()
            count += 1
        self.message_user(
            request, ngettext("%d class archived.", "%d classes archived.", count) % count, messages.SUCCESS
        )
