"""Contract reminders: planned (contracts.reminder_rules) and sent once to admins."""

from datetime import date

import pytest

from accounts.models import Role
from contracts import reminder_rules as rules
from contracts import reminders, schedules, services
from notifications.models import Notification, NotificationPreference
from tests.factories import MembershipFactory
from tests.providers.factories import ProviderFactory

TODAY = date(2026, 12, 1)
WINDOWS = rules.Windows(notice_days=30, renewal_days=30, reassessment_days=14)


def row(**fields):
    values = {
        "contract_id": 1,
        "organization_id": 1,
        "title": "Acme SOC",
        "auto_renew": True,
        "notice_deadline": date(2026, 12, 16),
        "renewal_date": date(2027, 1, 15),
    }
    return rules.ContractRow(**(values | fields))


class TestRules:
    def test_notice_due_and_renewal_windows(self):
        items = rules.items_of(row(), today=TODAY, windows=WINDOWS)
        # Notice in 15 days; renewal in 45 days is outside its 30.
        assert [(i.kind, i.days_left) for i in items] == [(rules.NOTICE_DUE, 15)]
        items = rules.items_of(row(), today=date(2026, 12, 20), windows=WINDOWS)
        assert [(i.kind, i.days_left) for i in items] == [
            (rules.NOTICE_PASSED, -4),
            (rules.RENEWAL_DUE, 26),
        ]

    def test_notice_concerns_only_contracts_that_renew_on_their_own(self):
        items = rules.items_of(row(auto_renew=False), today=date(2026, 12, 20), windows=WINDOWS)
        assert [i.kind for i in items] == [rules.RENEWAL_DUE]

    def test_reassessment_due_from_tomorrow_to_the_window(self):
        def kinds(due):
            found = rules.items_of(
                row(auto_renew=False, reassessment_due=due), today=TODAY, windows=WINDOWS
            )
            return [item.kind for item in found]

        assert kinds(date(2026, 12, 15)) == [rules.REASSESSMENT_DUE]
        assert kinds(date(2026, 12, 16)) == []
        assert kinds(TODAY) == []  # opened today by beat

    def test_each_admin_once_and_a_digest_past_the_threshold(self):
        items = [
            *rules.items_of(row(), today=TODAY, windows=WINDOWS),
            *rules.items_of(row(contract_id=2), today=TODAY, windows=WINDOWS),
        ]
        sends = rules.plan(
            items, recipients={1: [7, 8]}, covered=set(), disabled={}, digest_threshold=1
        )
        assert [(s.membership_id, s.kind, len(s.items)) for s in sends] == [
            (7, rules.DIGEST, 2),
            (8, rules.DIGEST, 2),
        ]
        covered = {f"{items[0].key}:7"}
        sends = rules.plan(
            items,
            recipients={1: [7, 8]},
            covered=covered,
            disabled={rules.DIGEST: {8}},
            digest_threshold=1,
        )
        assert [(s.membership_id, s.kind) for s in sends] == [
            (7, rules.NOTICE_DUE),
            (8, rules.NOTICE_DUE),
            (8, rules.NOTICE_DUE),
        ]


@pytest.mark.django_db
def test_sent_once_to_the_admins_who_want_them(admin_client):
    organization = admin_client.organization
    user = admin_client.membership.user
    contract = services.create_contract(
        organization,
        user,
        {
            "provider": ProviderFactory(organization=organization),
            "title": "Acme SOC",
            "start_date": date(2026, 1, 15),
            "term_months": 12,
            "auto_renew": True,
            "notice_period_days": 30,
        },
    )
    schedules.save_schedule(
        contract, None, user, {"mode": "before_renewal", "days_before_renewal": 25}
    )
    quiet = MembershipFactory(organization=organization, role=Role.ADMIN)
    NotificationPreference.objects.create(
        membership=quiet, kind="contract_notice_due", enabled=False
    )
    MembershipFactory(organization=organization, role=Role.VIEWER)
    # Notice deadline 16 December (15 days), reassessment due 21 December (20 days,
    # outside 14): one reminder to the first admin, none to the one who switched it off.
    first = reminders.send_contract_reminders(TODAY)
    second = reminders.send_contract_reminders(TODAY)
    assert (first["sent"], second["sent"]) == (1, 0)
    [sent] = Notification.objects.all()
    assert (sent.kind, sent.recipient_id) == ("contract_notice_due", user.pk)
    assert "2026-12-16" in sent.body_text
    # Eight days later the reassessment is 13 days away: a reminder of its own.
    later = reminders.send_contract_reminders(date(2026, 12, 8))
    assert later["sent"] == 2  # to both admins
    assert Notification.objects.filter(kind="reassessment_due").count() == 2
