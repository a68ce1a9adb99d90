"""The Django admin for the lessons app.

Curriculum first: admins edit the whole unit here (lessons with their sections,
key terms, sources, prompts and plan steps inline). The pages read the database
directly, so a saved change shows on the site at once. Rows show whether they
still match the content files (`manage.py load_unit` leaves edited rows alone).
"""

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lessons.content_cache import content_changed
from lessons.loader import is_edited
from lessons.models import KeyTerm, Lesson, PlanStep, Prompt, Quotation, Section, Status, TimelineEvent, Unit

# ---------------------------------------------------------------- Curriculum


class ContentAdmin(admin.ModelAdmin):
    """An admin of curriculum content: every write replaces the content version, so
    that pages cached from the old rows (the assignment page's reading) are not used."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        content_changed()

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        content_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        content_changed()


@admin.display(boolean=True, description=_("edited here"))
def edited_here(obj) -> bool:
    """True when the row no longer matches what `load_unit` wrote: the loader will keep it as it is."""
    return is_edited(obj)


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = [("order", "heading", "anchor"), "body"]
    prepopulated_fields = {"anchor": ["heading"]}
    ordering = ["order"]
    show_change_link = True


class KeyTermInline(admin.TabularInline):
    model = KeyTerm
    extra = 0
    fields = ["order", "term", "definition"]
    ordering = ["order", "term"]


class QuotationInline(admin.StackedInline):
    model = Quotation
    extra = 0
    fields = ["order", "text", ("speaker", "source", "date"), "note"]
    ordering = ["order"]


class PromptInline(admin.StackedInline):
    model = Prompt
    extra = 0
    fields = [("order", "status"), ("kind", "role", "skill"), "text", "positions", "strong_answer"]
    ordering = ["order"]
    show_change_link = True


class PlanStepInline(admin.TabularInline):
    model = PlanStep
    extra = 0
    fields = ["order", "phase", "minutes", "instructions"]
    ordering = ["order"]


class TimelineEventInline(admin.TabularInline):
    model = TimelineEvent
    fk_name = "unit"
    extra = 0
    fields = ["date", "precision", "title", "text", "lesson"]
    ordering = ["date"]


@admin.register(Unit)
class UnitAdmin(ContentAdmin):
    list_display = ["title", "central_question", "slug", "lesson_count"]
    search_fields = ["title", "central_question"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "central_question", "positions", "intro", "source_credit", "loaded_status"]
    readonly_fields = ["loaded_status"]
    inlines = [TimelineEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_lessons=Count("lessons"))

    @admin.display(description=_("lessons"), ordering="n_lessons")
    def lesson_count(self, obj) -> int:
        return obj.n_lessons

    @admin.display(description=_("content files"))
    def loaded_status(self, obj) -> str:
        return _("Edited here: load_unit keeps it") if is_edited(obj) else _("Matches the content files")


@admin.register(Lesson)
class LessonAdmin(ContentAdmin):
    list_display = ["order", "title", "unit", "status", "duration_minutes", "planned_minutes", edited_here]
    list_display_links = ["title"]
    list_filter = ["status", "unit"]
    search_fields = ["title", "summary", "slug", "sections__heading"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["unit", "order"]
    list_select_related = ["unit"]
    actions = ["publish", "unpublish"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["unit", ("order", "status"), "title", "slug", "summary", "duration_minutes"]}),
        (
            _("Lesson plan"),
            {
                "fields": ["objectives", "standards", "materials", "support", "extension"],
                "description": _(
                    "Objectives, standards and materials: one per line. The plan's timed steps are below; "
                    "their minutes should add up to the lesson's duration."
                ),
            },
        ),
    ]
    inlines = [SectionInline, KeyTermInline, QuotationInline, PromptInline, PlanStepInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("plan_steps")

    @admin.display(description=_("planned minutes"))
    def planned_minutes(self, obj) -> str:
        total = sum(step.minutes for step in obj.plan_steps.all())
        if total == obj.duration_minutes:
            return str(total)
        return _("%(total)s (should be %(duration)s)") % {"total": total, "duration": obj.duration_minutes}

    @admin.action(description=_("Publish the selected lessons"))
    def publish(self, request, queryset):
        updated = queryset.update(status=Status.PUBLISHED)
        content_changed()
        self.message_user(
            request, ngettext("%d lesson published.", "%d lessons published.", updated) % updated, messages.SUCCESS
        )

    @admin.action(description=_("Unpublish the selected lessons (back to draft)"))
    def unpublish(self, request, queryset):
        updated = queryset.update(status=Status.DRAFT)
        content_changed()
        self.message_user(
            request, ngettext("%d lesson set to draft.", "%d lessons set to draft.", updated) % updated, messages.SUCCESS
        )


@admin.register(Section)
class SectionAdmin(ContentAdmin):
    list_display = ["heading", "lesson", "order", "anchor", edited_here]
    list_filter = ["lesson__unit", "lesson"]
    search_fields = ["heading", "body", "lesson__title"]
    list_select_related = ["lesson"]
    ordering = ["lesson__order", "order"]
    prepopulated_fields = {"anchor": ["heading"]}
    fields = ["lesson", ("order", "anchor"), "heading", "body"]


@admin.register(Prompt)
class PromptAdmin(ContentAdmin):
    list_display = ["short_text", "lesson", "order", "kind", "role", "skill", "status", edited_here]
    list_filter = ["status", "kind", "role", "skill", "lesson"]
    search_fields = ["text", "strong_answer", "lesson__title"]
    list_select_related = ["lesson"]
    ordering = ["lesson__order", "order"]
    fields = ["lesson", ("order", "status"), ("kind", "role", "skill"), "text", "positions", "strong_answer"]
    actions = ["publish", "unpublish"]

    @admin.display(description=_("question"))
    def short_text(self, obj) -> str:
        return str(obj)

    @admin.action(description=_("Publish the selected prompts"))
    def publish(self, request, queryset):
        updated = queryset.update(status=Status.PUBLISHED)
        content_changed()
        self.message_user(request, ngettext("%d prompt published.", "%d prompts published.", updated) % updated)

    @admin.action(description=_("Unpublish the selected prompts (back to draft)"))
    def unpublish(self, request, queryset):
        updated = queryset.update(status=Status.DRAFT)
        content_changed()
        self.message_user(request, ngettext("%d prompt set to draft.", "%d prompts set to draft.", updated) % updated)


@admin.register(KeyTerm)
class KeyTermAdmin(ContentAdmin):
    list_display = ["term", "lesson", "order", edited_here]
    list_filter = ["lesson"]
    search_fields = ["term", "definition"]
    list_select_related = ["lesson"]
    ordering = ["lesson__order", "order", "term"]


@admin.register(Quotation)
class QuotationAdmin(ContentAdmin):
    list_display = ["__str__", "speaker", "date", "lesson", edited_here]
    list_filter = ["speaker", "lesson"]
    search_fields = ["text", "speaker", "source", "note"]
    list_select_related = ["lesson"]
    ordering = ["lesson__order", "order"]


@admin.register(TimelineEvent)
class TimelineEventAdmin(ContentAdmin):
    list_display = ["date", "precision", "title", "lesson", edited_here]
    list_filter = ["precision", "unit", "lesson"]
    search_fields = ["title", "text"]
    list_select_related = ["lesson"]
    date_hierarchy = "date"
    ordering = ["date"]

    def view_on_site(self, obj):
        return f"{reverse('lessons:timeline')}#year-{obj.date.year}"


# ---------------------------------------------------------------- Coursework
# (Coursework model admins go below this line.)
