"""factory-boy factories for the tenancy layer; apps add theirs in tests/<app>/factories.py."""

import factory
from django.contrib.auth import get_user_model

from accounts.models import Membership, Organization, Role
from accounts.services import issue_token


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ADMIN


def token_for(membership: Membership) -> str:
    _, raw = issue_token(membership.organization, name="test", membership=membership)
    return raw
