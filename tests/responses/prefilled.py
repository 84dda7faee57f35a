"""An evaluation whose questions map to the provider record, and a provider whose
record answers them (used by the prefill and record-conflict tests)."""

from evaluations.models import Evaluation
from tests.evaluations.builders import make_evaluation, make_version
from tests.providers.factories import (
    OfferingFactory,
    ProviderFactory,
    ReferenceFactory,
    SlaTermFactory,
    capability,
    make_document,
)

SOC_PREFILL = {
    "source": "provider.soc_model",
    "values": {"own": "own", "hybrid": "hybrid", "third_party": "white_label"},
}
SECTIONS = [
    {
        "code": "soc",
        "title": "SOC",
        "weight": 2,
        "questions": [
            {
                "code": "SOC-01",
                "kind": "single_choice",
                "text": "Who runs your SOC?",
                "options": [
                    {"value": "own", "label": "Our own SOC", "score": 1.0},
                    {"value": "hybrid", "label": "Ours with a partner", "score": 0.6},
                    {"value": "white_label", "label": "A partner's", "score": 0.3},
                    {"value": "declined", "label": "Would not say", "score": 0.0},
                ],
                "prefill": SOC_PREFILL,
            },
            {
                "code": "SLA-03",
                "kind": "number",
                "text": "Minutes to respond to a critical incident?",
                "bands": [{"max": 15, "score": 1.0}, {"max": None, "score": 0.5}],
                "prefill": {"source": "slas.incident_response_time", "values": {}},
            },
            {
                "code": "IND-01",
                "kind": "single_choice",
                "text": "A reference in our industry?",
                "options": [
                    {"value": "same_regime", "label": "Same obligations", "score": 1.0},
                    {"value": "same_industry", "label": "Same industry", "score": 0.5},
                    {"value": "none", "label": "None", "score": 0.0},
                ],
                "prefill": {
                    "source": "references.buyer_industry",
                    "values": {"same_regime": "same_regime", "same_industry": "same_industry"},
                },
            },
        ],
    },
    {
        "code": "rep",
        "title": "Reporting",
        "questions": [
            {
                "code": "REP-02",
                "kind": "evidence",
                "scoring": "judged",
                "text": "Attach a sample report.",
                "prefill": {"source": "documents.sample_report", "values": {}},
            },
            {
                "code": "ROL-04",
                "kind": "boolean",
                "text": "Do partners deliver any of it?",
                "prefill": {"source": "capabilities.partner_delivered", "values": {}},
            },
            {"code": "REP-03", "kind": "text", "text": "Anything else?"},
        ],
    },
]


def recorded_provider(organization, **fields):
    """A provider using a third-party SOC, answering in 30 minutes, with a sample
    report, a healthcare reference under HIPAA and a partner-delivered capability."""
    provider = ProviderFactory(
        organization=organization,
        service_models=["mssp"],
        soc_model="third_party",
        third_party_soc_name="Acme SOC",
        **fields,
    )
    SlaTermFactory(provider=provider, target_value=30, unit="minutes")
    ReferenceFactory(provider=provider)
    OfferingFactory(
        provider=provider,
        capability=capability("mssp.edr"),
        delivered_by="partner",
        partner_name="Acme SOC",
    )
    make_document(provider, title="March report")
    return provider


def make_prefilled(organization, lead, providers=None):
    # One questionnaire per evaluation: one published version each.
    version = make_version(organization, SECTIONS, code=f"prefilled-{Evaluation.objects.count()}")
    return make_evaluation(
        organization,
        version,
        lead=lead,
        providers=providers or [recorded_provider(organization)],
        required_service_models=["mssp"],
        industry="healthcare",
        frameworks=["hipaa"],
    )
