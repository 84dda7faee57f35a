"""The isolation seeders run in APP_SEEDERS order, however their modules were imported."""

from tests import seeding


def test_seeders_run_in_app_order_whatever_the_import_order(monkeypatch):
    # A test module importing tests.evaluations.seed_reports first registers
    # that seeder after the webhook's, which then received the report's event.
    monkeypatch.setattr(seeding, "SEEDERS", list(reversed(seeding.SEEDERS)))
    order = ["tests.seeding", *seeding.APP_SEEDERS]
    modules = [function.__module__ for function in seeding.ordered_seeders()]
    assert modules == sorted(modules, key=order.index)
    assert set(modules) == set(order)
