from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Classroom, Enrollment, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "is_staff", "last_login", "date_joined"]
    list_filter = ["role", "is_staff", "is_superuser", "is_active"]
    search_fields = ["username", "display_name", "first_name", "last_name", "email"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Korea Lessons"), {"fields": ("role", "display_name", "must_change_password")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Korea Lessons"), {"fields": ("role", "display_name")}),)


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    autocomplete_fields = ["student"]
    readonly_fields = ["joined_at"]


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ["name", "teacher", "join_code", "joining_open", "archived_at", "created_at"]
    list_filter = ["joining_open", ("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "join_code", "teacher__username", "teacher__display_name"]
    list_select_related = ["teacher"]
    autocomplete_fields = ["teacher"]
    inlines = [EnrollmentInline]
