"""Small valid questionnaire documents for tests."""

import copy

from questionnaires.document import FORMAT, FORMAT_VERSION


def make_document(code: str = "acme-vetting", name: str = "Acme vetting", **overrides) -> dict:
    """A valid, publishable document with two sections and five questions of
    different kinds (tags, applies_to and industries set on some)."""
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "code": code,
        "name": name,
        "description": "Test questionnaire.",
        "version_label": "2026.1",
        "sections": [
            {
                "code": "soc",
                "title": "SOC operations",
                "weight": 3,
                "questions": [
                    {
                        "code": "SOC-01",
                        "text": "Who operates the SOC?",
                        "kind": "single_choice",
                        "weight": 2,
                        "options": [
                            {"value": "own", "label": "Our own", "score": 1},
                            {"value": "third_party", "label": "A partner", "score": 0.3},
                        ],
                        "tags": ["soc_ownership"],
                        "applies_to": ["mssp"],
                    },
                    {
                        "code": "SOC-02",
                        "text": "Analysts on shift 24/7?",
                        "kind": "boolean",
                        "knockout": True,
                    },
                ],
            },
            {
                "code": "rep",
                "title": "Reporting",
                "questions": [
                    {
                        "code": "REP-01",
                        "text": "Attach a sample monthly report.",
                        "kind": "evidence",
                        "tags": ["sample_report"],
                    },
                    {
                        "code": "REP-02",
                        "text": "Response time to a critical incident, in minutes?",
                        "kind": "number",
                        "bands": [
                            {"max": 15, "score": 1},
                            {"max": 60, "score": 0.5},
                            {"max": None, "score": 0},
                        ],
                        "industries": ["healthcare"],
                    },
                    {
                        "code": "REP-03",
                        "text": "How useful are the reports?",
                        "kind": "scale",
                        "scale_max": 4,
                        "weight": 0.5,
                    },
                ],
            },
        ],
    }
    document.update(copy.deepcopy(overrides))
    return document
