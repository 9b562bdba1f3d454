"""factory-boy factories for the domain rows most tests need."""

import factory

from srishti.accounts.models import Membership, User
from srishti.geography.models import Block, District, Division, Facility, State


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ("name",)

    name = "Bihar"
    code = "BR"


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Division

    state = factory.SubFactory(StateFactory)
    name = factory.Sequence(lambda n: f"Division {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    state = factory.SubFactory(StateFactory)
    name = factory.Sequence(lambda n: f"District {n}")


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Block {n}")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Facility {n}")
    facility_type = "DH"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    @factory.post_generation
    def password(self, create, value, **kwargs):
        self.set_password(value or "pass-word-123")
        if create:
            self.save(update_fields=["password"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = "district_quality_unit"


def register_assessor(user, *, place, level="district", tools=("NQAS",),
                      facility_types=("DH",), role="external_assessor", **details):
    """Put a log-in account on the assessor register: a staff member at `place` (a State,
    District or Facility) linked to `user`, trained for `tools` and `facility_types`."""
    from srishti.checklists.services import tool_get
    from srishti.programme.services import assessor_save, staff_member_create

    staff, _created = staff_member_create(
        name=(user.get_full_name() or user.username) if user else "Someone", role=role,
        place=place, account=user)
    entry, _created = assessor_save(staff=staff, level=level,
                                    tools=[tool_get(code=c) for c in tools],
                                    facility_types=list(facility_types), **details)
    return entry


def submitted(assessment):
    """Take an assessment as done: submitted, so it counts (certification.standing), but
    without the event and certification record a person's submission makes."""
    from srishti.assessments.models import Assessment
    from srishti.certification.standing import standing_refresh_for

    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    assessment.status = Assessment.Status.SUBMITTED
    standing_refresh_for(assessment)
    return assessment


def reopened(assessment):
    """Take a submitted assessment back to being filled in (as the demo's are submitted),
    for tests of capture and of what changes while an assessment is open."""
    from srishti.assessments.models import Assessment
    from srishti.certification.standing import standing_refresh_for

    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.IN_PROGRESS)
    assessment.status = Assessment.Status.IN_PROGRESS
    standing_refresh_for(assessment)
    return assessment
