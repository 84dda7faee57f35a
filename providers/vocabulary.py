"""The domain's shared vocabulary, as plain enums.

Kept free of Django so the pure modules (scoring, needs assessment, coverage,
questionnaire documents) and the models can share one definition. Models turn
these into choices with ``choices_of``.
"""

from enum import StrEnum


class ServiceModel(StrEnum):
    MSP = "msp"  # keeps IT running, from a NOC
    MSSP = "mssp"  # keeps it secure, from a SOC, around the clock
    VCISO = "vciso"  # fractional security executive
    VCIO = "vcio"  # fractional IT executive


class SocModel(StrEnum):
    OWN = "own"
    HYBRID = "hybrid"
    THIRD_PARTY = "third_party"
    NONE = "none"


class Delivery(StrEnum):
    FULLY_MANAGED = "fully_managed"
    CO_MANAGED = "co_managed"
    BOTH = "both"


class Industry(StrEnum):
    HEALTHCARE = "healthcare"
    FINANCIAL_SERVICES = "financial_services"
    DEFENSE = "defense"
    MANUFACTURING = "manufacturing"
    LEGAL = "legal"
    TECHNOLOGY = "technology"
    RETAIL = "retail"
    EDUCATION = "education"
    GOVERNMENT = "government"
    NONPROFIT = "nonprofit"
    PROFESSIONAL_SERVICES = "professional_services"
    OTHER = "other"


class Framework(StrEnum):
    HIPAA = "hipaa"
    SOC2 = "soc2"
    CMMC = "cmmc"
    NIST_800_171 = "nist_800_171"
    ISO_27001 = "iso_27001"
    PCI_DSS = "pci_dss"
    SEC_REG_SP = "sec_reg_sp"
    FINRA = "finra"
    NIST_CSF = "nist_csf"
    GDPR = "gdpr"
    ABA_MODEL_RULES = "aba_model_rules"


class RedFlagTag(StrEnum):
    """Tags on the five vetting questions every buyer should ask (docs/scoring.md)."""

    SOC_OWNERSHIP = "soc_ownership"
    SAMPLE_REPORT = "sample_report"
    HANDOFF = "handoff"
    INDUSTRY_REFERENCES = "industry_references"
    SLA_REMEDY = "sla_remedy"


# Labels that title-casing a member name would get wrong.
_LABELS = {
    "msp": "MSP",
    "mssp": "MSSP",
    "vciso": "vCISO",
    "vcio": "vCIO",
    "own": "Own SOC",
    "third_party": "Third-party SOC",
    "hipaa": "HIPAA",
    "soc2": "SOC 2",
    "cmmc": "CMMC",
    "nist_800_171": "NIST SP 800-171",
    "iso_27001": "ISO 27001",
    "pci_dss": "PCI DSS",
    "sec_reg_sp": "SEC Regulation S-P",
    "finra": "FINRA",
    "nist_csf": "NIST CSF",
    "gdpr": "GDPR",
    "aba_model_rules": "ABA Model Rules",
}


def label_of(value: str) -> str:
    return _LABELS.get(value, value.replace("_", " ").capitalize())


def choices_of(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """Django-style choices for a vocabulary enum."""
    return [(m.value, label_of(m.value)) for m in enum]
