"""Models, database constraints, the capability catalog sync and file clean-up."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from providers.catalog import Capability as CatalogEntry
from providers.catalog import load_capability_catalog
from providers.models import Capability, CapabilityOffering, Document, Provider, Reference
from providers.services import sync_capability_catalog
from providers.vocabulary import ServiceModel
from tests.providers.factories import (
    OfferingFactory,
    ProviderFactory,
    ReferenceFactory,
    SlaTermFactory,
    capability,
    make_document,
)

pytestmark = pytest.mark.django_db


class TestCatalogSync:
    def test_migrations_loaded_the_whole_catalog_in_file_order(self):
        codes = list(Capability.objects.values_list("code", flat=True))
        assert codes == [entry.code for entry in load_capability_catalog()]
        edr = Capability.objects.get(code="mssp.edr")
        assert edr.service_model == ServiceModel.MSSP
        assert edr.name == "Endpoint detection and response (EDR)"

    def test_sync_is_idempotent_and_cheap(self, django_assert_max_num_queries):
        with django_assert_max_num_queries(3):
            result = sync_capability_catalog()
        assert (result.created, result.updated) == (0, 0)
        assert result.unchanged == len(load_capability_catalog())

    def test_sync_updates_changed_rows_and_creates_missing_ones(self):
        Capability.objects.filter(code="msp.help_desk").update(name="Old name", position=99)
        Capability.objects.filter(code="vcio.it_budget").delete()
        result = sync_capability_catalog()
        assert (result.created, result.updated) == (1, 1)
        assert Capability.objects.get(code="msp.help_desk").name == "Help desk and user support"
        assert Capability.objects.filter(code="vcio.it_budget").exists()

    def test_a_changed_capability_moves_the_providers_offering_it(self):
        offering = OfferingFactory(capability=capability("msp.help_desk"))
        bystander = ProviderFactory()
        Provider.objects.update(updated_at="2020-01-01T00:00:00Z")
        Capability.objects.filter(code="msp.help_desk").update(name="Old name")
        sync_capability_catalog()
        moved = Provider.objects.filter(updated_at__year__gt=2020)
        assert list(moved.values_list("pk", flat=True)) == [offering.provider_id]
        assert bystander.pk != offering.provider_id

    def test_codes_that_left_the_catalog_go_unless_still_offered(self):
        offered = OfferingFactory(capability=capability("mssp.edr"))
        shorter = [
            e for e in load_capability_catalog() if e.code not in ("mssp.edr", "vcio.it_budget")
        ]
        result = sync_capability_catalog(shorter)
        assert result.removed == ["vcio.it_budget"]
        assert result.kept_in_use == ["mssp.edr"]
        assert Capability.objects.filter(code="mssp.edr").exists()
        assert CapabilityOffering.objects.filter(pk=offered.pk).exists()
        assert "still offered, kept: mssp.edr" in result.summary()

    def test_custom_catalog_entries_are_created(self):
        entry = CatalogEntry("vcio.new_thing", "New", "A new function.", ServiceModel.VCIO)
        result = sync_capability_catalog([*load_capability_catalog(), entry])
        assert result.created == 1
        assert Capability.objects.get(code="vcio.new_thing").position == len(
            load_capability_catalog()
        )

    def test_load_builtin_content_reports_a_summary(self, capsys):
        summary = apps.get_app_config("providers").load_builtin_content()
        assert summary.startswith("capabilities: 0 created, 0 updated, 26 unchanged")
        call_command("load_builtin_content")
        assert "providers: capabilities:" in capsys.readouterr().out


class TestModelValidation:
    def test_provider_clean_applies_the_soc_rules(self):
        provider = ProviderFactory.build(service_models=["mssp"], soc_model=None)
        with pytest.raises(ValidationError) as caught:
            provider.clean()
        assert caught.value.message_dict["soc_model"]
        provider.soc_model = "third_party"
        with pytest.raises(ValidationError, match="Name the firm"):
            provider.clean()
        provider.third_party_soc_name = "Blue SOC"
        provider.clean()

    def test_children_clean(self):
        offering = OfferingFactory.build(delivered_by="partner", partner_name="")
        with pytest.raises(ValidationError):
            offering.clean()
        reference = ReferenceFactory.build(verified=False, verified_at="2026-01-01")
        with pytest.raises(ValidationError):
            reference.clean()
        sla = SlaTermFactory.build(metric="uptime", unit="minutes")
        with pytest.raises(ValidationError):
            sla.clean()

    def test_slug_is_unique_per_organization_only(self):
        first = ProviderFactory(slug="acme")
        ProviderFactory(slug="acme")  # another organization
        with pytest.raises(IntegrityError), transaction.atomic():
            ProviderFactory(slug="acme", organization=first.organization)

    def test_database_refuses_partner_mismatch_and_duplicate_offerings(self):
        offering = OfferingFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            CapabilityOffering.objects.create(
                provider=offering.provider, capability=offering.capability
            )
        with pytest.raises(IntegrityError), transaction.atomic():
            OfferingFactory(delivered_by="partner", partner_name="")

    def test_database_refuses_negative_sla_targets_and_unverified_dates(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            SlaTermFactory(target_value=-1)
        with pytest.raises(IntegrityError), transaction.atomic():
            ReferenceFactory(verified=False, verified_at="2026-01-01")

    def test_capabilities_in_use_cannot_be_deleted(self):
        OfferingFactory(capability=capability("mssp.edr"))
        with pytest.raises(ProtectedError):
            Capability.objects.filter(code="mssp.edr").delete()

    def test_tenant_paths(self):
        assert CapabilityOffering.tenant_path == "provider__organization"
        assert Reference.tenant_path == "provider__organization"
        assert not hasattr(Capability, "tenant_path")


@pytest.mark.django_db(transaction=True)
class TestDocumentFiles:
    def test_file_is_stored_under_a_random_name(self):
        document = make_document(ProviderFactory(), name="Board Report.pdf")
        assert document.file.name.startswith("provider-documents/")
        assert document.file.name.endswith(".pdf")
        assert "Board" not in document.file.name
        assert default_storage.exists(document.file.name)

    def test_deleting_the_row_removes_the_file_after_commit(self):
        document = make_document(ProviderFactory())
        name = document.file.name
        with transaction.atomic():
            Document.objects.filter(pk=document.pk).delete()
            assert default_storage.exists(name)  # not before the commit
        assert not default_storage.exists(name)

    def test_a_rolled_back_deletion_keeps_the_file(self):
        document = make_document(ProviderFactory())
        pk, name = document.pk, document.file.name
        with pytest.raises(RuntimeError), transaction.atomic():
            document.delete()
            raise RuntimeError("roll back")
        assert default_storage.exists(name)
        assert Document.objects.filter(pk=pk).exists()

    def test_deleting_the_provider_removes_its_files(self):
        provider = ProviderFactory()
        names = [make_document(provider).file.name for _ in range(2)]
        Provider.objects.filter(pk=provider.pk).delete()
        assert not any(default_storage.exists(name) for name in names)
