"""OpenAPI request examples of the provider catalog API."""

from drf_spectacular.utils import OpenApiExample

PROVIDER_CREATE = OpenApiExample(
    "An MSSP with a third-party SOC and a vCISO practice",
    request_only=True,
    value={
        "name": "Northwind Security",
        "website": "https://northwind.example",
        "headquarters": "Columbus, OH",
        "employee_band": "51-200",
        "service_models": ["mssp", "vciso"],
        "soc_model": "third_party",
        "third_party_soc_name": "Blue Harbor SOC",
        "delivery": "co_managed",
        "industries": ["healthcare", "legal"],
        "frameworks": ["hipaa", "soc2"],
        "certifications": ["SOC 2 Type II"],
        "tags": ["shortlist"],
        "notes": "Asked for a sample monthly report on the first call.",
    },
)

OFFERING_CREATE = OpenApiExample(
    "EDR delivered through a partner",
    request_only=True,
    value={"capability": "mssp.edr", "delivered_by": "partner", "partner_name": "EndpointCo"},
)

REFERENCE_CREATE = OpenApiExample(
    "A contactable healthcare client",
    request_only=True,
    value={
        "client_industry": "healthcare",
        "frameworks": ["hipaa"],
        "client_size": "51-200",
        "contactable": True,
        "contact_name": "Dana Reyes",
        "contact_email": "dana.reyes@clinic.example",
        "verified": True,
        "verified_at": "2026-03-02",
    },
)

SLA_CREATE = OpenApiExample(
    "Incident response within 30 minutes, or a service credit",
    request_only=True,
    value={
        "metric": "incident_response_time",
        "target_value": 30,
        "unit": "minutes",
        "remedy_type": "service_credit",
        "remedy_details": "5% of the monthly fee per missed incident, capped at 25%.",
    },
)

IMPORT_JSON = OpenApiExample(
    "Two providers as JSON",
    request_only=True,
    media_type="application/json",
    value={
        "mode": "all_or_nothing",
        "providers": [
            {
                "name": "Harbor Managed Security",
                "service_models": ["mssp"],
                "soc_model": "own",
                "industries": ["healthcare"],
            },
            {"name": "Contoso IT", "service_models": ["msp", "vcio"], "delivery": "fully_managed"},
        ],
    },
)

IMPORT_CSV = OpenApiExample(
    "The same as CSV",
    request_only=True,
    media_type="text/csv",
    value=(
        "name,service_models,soc_model,industries,delivery\n"
        "Harbor Managed Security,mssp,own,healthcare,\n"
        "Contoso IT,msp;vcio,,,fully_managed\n"
    ),
)
