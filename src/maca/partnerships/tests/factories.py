import factory
from factory.django import DjangoModelFactory

from maca.accounts.tests.factories import UserFactory
from maca.partnerships.models import (
    Agency,
    AgencyService,
    AgencyType,
    GovernanceGroup,
    Membership,
    Partnership,
    Role,
)


class PartnershipFactory(DjangoModelFactory[Partnership]):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    short_name = factory.Sequence(lambda n: f"P{n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    short_code = factory.Sequence(lambda n: f"AG{n}")
    agency_type = AgencyType.OTHER


class AgencyServiceFactory(DjangoModelFactory[AgencyService]):
    class Meta:
        model = AgencyService

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Service {n}")


class GovernanceGroupFactory(DjangoModelFactory[GovernanceGroup]):
    class Meta:
        model = GovernanceGroup

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Group {n}")


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = Role.COORDINATOR
    agency = None
