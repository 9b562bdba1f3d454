"""factory-boy factories for the domain rows most tests need."""

import factory

from srishti.accounts.models import Membership, User
from srishti.geography.models import District, Facility, State


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ("name",)

    name = "Bihar"
    code = "BR"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    state = factory.SubFactory(StateFactory)
    name = factory.Sequence(lambda n: f"District {n}")


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
