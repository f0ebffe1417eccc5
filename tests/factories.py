"""Factories for tests. Rows are created with scopes disabled; tests read inside a scope."""

import factory
from allauth.account.models import EmailAddress

from applications.models import Application
from calls.models import Call, Fund, Stage
from fundportal.models import Funder, Membership, Role, User
from fundportal.tenancy import scopes_disabled

PASSWORD = "a-long-test-password-42"


class ScopeFreeFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class UserFactory(ScopeFreeFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create:
            user.save()
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class FunderFactory(ScopeFreeFactory):
    class Meta:
        model = Funder
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Funder {n}")
    slug = factory.Sequence(lambda n: f"funder-{n}")
    short_name = factory.Sequence(lambda n: f"F{n}")
    default_language = "sv"


class MembershipFactory(ScopeFreeFactory):
    class Meta:
        model = Membership

    funder = factory.SubFactory(FunderFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ADMINISTRATOR


class FundFactory(ScopeFreeFactory):
    class Meta:
        model = Fund

    funder = factory.SubFactory(FunderFactory)
    name = factory.Sequence(lambda n: f"Fund {n}")


class CallFactory(ScopeFreeFactory):
    class Meta:
        model = Call

    fund = factory.SubFactory(FundFactory)
    funder = factory.SelfAttribute("fund.funder")
    slug = factory.Sequence(lambda n: f"call-{n}")
    title = factory.Sequence(lambda n: {"en": f"Call {n}", "sv": f"Utlysning {n}"})
    budget = 15_000_000
    currency = "SEK"
    application_types = ["new"]


class StageFactory(ScopeFreeFactory):
    class Meta:
        model = Stage

    call = factory.SubFactory(CallFactory)
    funder = factory.SelfAttribute("call.funder")
    position = factory.Sequence(lambda n: n)
    kind = Stage.Kind.SCREENING
    name = factory.LazyAttribute(lambda stage: Stage.Kind(stage.kind).label)


class ApplicationFactory(ScopeFreeFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    funder = factory.SelfAttribute("call.funder")
    applicant = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Project {n}")


def staff(funder, role=Role.ADMINISTRATOR, **kwargs):
    """A person holding ``role`` at ``funder``."""
    return MembershipFactory(funder=funder, role=role, **kwargs).user


def make_publishable(call):
    """Give ``call`` what publishing asks for and it lacks: an open period, a form with a question, a pipeline."""
    from datetime import timedelta

    from django.utils import timezone

    from calls.models import Period, Question, Section

    now = timezone.now()
    with scopes_disabled():
        if not call.periods.exists():
            Period.objects.create(funder=call.funder, call=call, opens_at=now - timedelta(days=10),
                                  closes_at=now + timedelta(days=10))
        if not Question.objects.filter(section__call=call).exists():
            section = Section.objects.create(funder=call.funder, call=call, title={"en": "The project"})
            Question.objects.create(funder=call.funder, section=section, kind=Question.Kind.LONG_TEXT,
                                    label={"en": "Purpose"})
        if not call.stages.exists():
            StageFactory(call=call, position=0, kind=Stage.Kind.SCREENING)
            StageFactory(call=call, position=1, kind=Stage.Kind.DECISION)
    return call
