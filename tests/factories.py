"""factory_boy factories for every model, so tests build exactly what they need."""

import datetime

import factory
from django.utils import timezone

from accounts.models import Classroom, Enrollment, User
from lessons import models as lm


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TeacherFactory(UserFactory):
    username = factory.Sequence(lambda n: f"teacher{n}")
    role = User.Role.TEACHER
    email = factory.LazyAttribute(lambda u: f"{u.username}@school.example")


class StudentFactory(UserFactory):
    username = factory.Sequence(lambda n: f"student{n}")
    role = User.Role.STUDENT
    email = ""


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    role = User.Role.TEACHER
    is_staff = True
    is_superuser = True


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classroom

    teacher = factory.SubFactory(TeacherFactory)
    name = factory.Sequence(lambda n: f"History {n}")


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    classroom = factory.SubFactory(ClassroomFactory)
    student = factory.SubFactory(StudentFactory)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.Unit
        django_get_or_create = ["slug"]

    slug = "stalins-gamble"
    title = "Stalin's Gamble in Korea"
    central_question = "Did Stalin's gamble in Korea backfire?"
    positions = ["Yes, it backfired", "Partly", "No, it paid off"]
    intro = "A unit on the Korean War."
    source_credit = "Dave Roos, HISTORY (A&E Television Networks), 2023."


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.Lesson

    unit = factory.SubFactory(UnitFactory)
    order = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    title = factory.Sequence(lambda n: f"Lesson {n}")
    summary = "What this lesson is about."
    status = lm.Status.PUBLISHED
    objectives = "Students will be able to explain a cause.\nStudents will be able to weigh a source."
    standards = "CCSS.ELA-LITERACY.RH.9-10.1"
    materials = "Student handout"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.Section

    lesson = factory.SubFactory(LessonFactory)
    order = factory.Sequence(lambda n: n + 1)
    heading = factory.Sequence(lambda n: f"Section {n}")
    anchor = factory.Sequence(lambda n: f"section-{n}")
    body = "Korea was divided at the 38th parallel after the Second World War."


class KeyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.KeyTerm

    lesson = factory.SubFactory(LessonFactory)
    order = factory.Sequence(lambda n: n)
    term = factory.Sequence(lambda n: f"Term {n}")
    definition = "A plain definition."


class QuotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.Quotation

    lesson = factory.SubFactory(LessonFactory)
    order = factory.Sequence(lambda n: n)
    text = "Does it not give us an advantage in the global balance of power? It undoubtedly does."
    speaker = "Joseph Stalin"
    source = "Letter, 1950"
    date = "1950"


class PromptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.Prompt

    lesson = factory.SubFactory(LessonFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = lm.Prompt.Kind.OPEN
    text = factory.Sequence(lambda n: f"Question {n}: what does this source tell us?")
    strong_answer = "Names the author and the date."
    status = lm.Status.PUBLISHED


class PositionPromptFactory(PromptFactory):
    kind = lm.Prompt.Kind.POSITION
    positions = ["Yes, it backfired", "Partly", "No, it paid off"]


class PlanStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.PlanStep

    lesson = factory.SubFactory(LessonFactory)
    order = factory.Sequence(lambda n: n + 1)
    phase = "Warm-up"
    minutes = 5
    instructions = "Ask the class what they know."


class TimelineEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.TimelineEvent

    unit = factory.SubFactory(UnitFactory)
    date = factory.Sequence(lambda n: datetime.date(1945, 8, 15) + datetime.timedelta(days=30 * n))
    title = factory.Sequence(lambda n: f"Event {n}")
    text = "Something happened."


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.Assignment

    classroom = factory.SubFactory(ClassroomFactory)
    lesson = factory.SubFactory(LessonFactory)
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    due_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.Response

    assignment = factory.SubFactory(AssignmentFactory)
    prompt = factory.SubFactory(PromptFactory, lesson=factory.SelfAttribute("..assignment.lesson"))
    student = factory.SubFactory(StudentFactory)
    body = "Stalin wanted the United States tied down in Asia."


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.Feedback

    response = factory.SubFactory(ResponseFactory)
    teacher = factory.SelfAttribute("response.assignment.classroom.teacher")
    claim = 3
    evidence = 3
    reasoning = 2
    sources = 2
    comment = "Good use of the letter."


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.Reply

    response = factory.SubFactory(ResponseFactory)
    author = factory.SubFactory(StudentFactory)
    body = "I see it differently."


class ResponseVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.ResponseVersion

    response = factory.SubFactory(ResponseFactory)
    kind = lm.ResponseVersion.Kind.SUBMITTED
    version = factory.SelfAttribute("response.version")
    position = factory.SelfAttribute("response.position")
    body = factory.SelfAttribute("response.body")
    cited_sections = factory.SelfAttribute("response.cited_sections")
    quoted_sentence = factory.SelfAttribute("response.quoted_sentence")


class SectionReadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.SectionRead

    assignment = factory.SubFactory(AssignmentFactory)
    student = factory.SubFactory(StudentFactory)
    section = factory.SubFactory(SectionFactory, lesson=factory.SelfAttribute("..assignment.lesson"))


class CommentBankEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lm.CommentBankEntry

    teacher = factory.SubFactory(TeacherFactory)
    text = factory.Sequence(lambda n: f"Name the source and its date ({n}).")
