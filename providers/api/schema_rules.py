"""The cross-field rules of ``providers.rules``, stated in the OpenAPI request schemas.

A generated client (and a property-based tester) should know that an MSSP needs
a SOC model, a partner-delivered capability a partner name, and so on. Each
rule becomes an ``anyOf`` of property constraints, all combined under
``allOf`` on the request component.

For creation a rule's branches may require fields; for PATCH they only constrain
fields that are present, because an absent field keeps its stored value and the
server judges the merged result (409 when only stored values break the rule).

Branch constraints avoid ``enum`` (drf-spectacular would turn each into an enum
component of its own): strings use ``pattern``, booleans ``not``.
"""

from drf_spectacular.extensions import OpenApiSerializerExtension

from providers import rules
from providers.api.fields import BLANK_PATTERN, NOT_BLANK_PATTERN, ecma


def one_of_values(*values: str, nullable: bool = False) -> dict:
    schema = {"type": "string", "pattern": "^(" + "|".join(values) + ")$"}
    if nullable:
        schema["nullable"] = True
    return schema


VISIBLE_TEXT = {"type": "string", "pattern": ecma(NOT_BLANK_PATTERN)}
BLANK_TEXT = {"type": "string", "pattern": ecma(BLANK_PATTERN), "nullable": True}
IS_TRUE = {"type": "boolean", "not": {"enum": [False]}}
IS_FALSE = {"type": "boolean", "not": {"enum": [True]}}
NOT_A_DATE = {"not": {"type": "string"}}  # null (absent passes anyway)


def branch(properties: dict, required=(), partial: bool = False) -> dict:
    schema = {"properties": properties}
    if required and not partial:
        schema["required"] = list(required)
    return schema


def provider_rules(partial: bool) -> list[list[dict]]:
    non_mssp = [model for model in ("msp", "vciso", "vcio")]
    stated_soc = ("own", "hybrid", "third_party", "none")
    named_soc = sorted(rules.SOC_MODELS_NEEDING_NAME)
    unnamed_soc = sorted(set(stated_soc) - rules.SOC_MODELS_NEEDING_NAME)
    return [
        # An MSSP states its SOC model.
        [
            branch({"service_models": {"items": one_of_values(*non_mssp)}}),
            branch({"soc_model": one_of_values(*stated_soc)}, ["soc_model"], partial),
        ],
        # A third-party or hybrid SOC is named; no other SOC model is.
        [
            branch(
                {"soc_model": one_of_values(*named_soc), "third_party_soc_name": VISIBLE_TEXT},
                ["soc_model", "third_party_soc_name"],
                partial,
            ),
            branch(
                {
                    "soc_model": one_of_values(*unnamed_soc, nullable=True),
                    "third_party_soc_name": BLANK_TEXT,
                }
            ),
        ],
    ]


def offering_rules(partial: bool) -> list[list[dict]]:
    return [
        [
            branch({"delivered_by": one_of_values("self"), "partner_name": BLANK_TEXT}),
            branch(
                {"delivered_by": one_of_values("partner"), "partner_name": VISIBLE_TEXT},
                ["delivered_by", "partner_name"],
                partial,
            ),
        ]
    ]


def sla_rules(partial: bool) -> list[list[dict]]:
    time_metrics = sorted(rules.TIME_METRICS)
    return [
        # The unit fits the metric.
        [
            branch(
                {
                    "metric": one_of_values(*sorted(rules.PERCENT_METRICS)),
                    "unit": one_of_values("percent"),
                }
            ),
            branch(
                {
                    "metric": one_of_values(*time_metrics),
                    "unit": one_of_values(*sorted(rules.TIME_UNITS)),
                }
            ),
            branch({"metric": one_of_values("other")}),
        ],
        # A percentage is at most 100.
        [
            branch({"unit": one_of_values(*sorted(rules.TIME_UNITS))}),
            branch({"target_value": {"type": "number", "maximum": 100}}),
        ],
        # A remedy other than none is described.
        [
            branch({"remedy_type": one_of_values("none")}),
            branch({"remedy_details": VISIBLE_TEXT}, ["remedy_details"], partial),
        ],
    ]


def reference_rules(partial: bool) -> list[list[dict]]:
    return [
        # A verification date only for a verified reference.
        [
            branch({"verified_at": NOT_A_DATE}),
            branch({"verified": IS_TRUE}, ["verified"], partial),
        ],
        # A contactable reference has a way to contact it.
        [
            branch({"contactable": IS_FALSE}),
            branch(
                {"contact_email": {"type": "string", "minLength": 1}}, ["contact_email"], partial
            ),
            branch({"contact_phone": VISIBLE_TEXT}, ["contact_phone"], partial),
        ],
    ]


class SchemaRulesMixin:
    """Serializers whose ``schema_rules(partial)`` returns ``anyOf`` branch lists."""

    schema_rules = None


class SchemaRulesExtension(OpenApiSerializerExtension):
    target_class = SchemaRulesMixin
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        serializer_class = self.target if isinstance(self.target, type) else type(self.target)
        build = serializer_class.schema_rules
        if direction == "request" and build is not None:
            schema["allOf"] = [
                {"anyOf": branches} for branches in build(partial=auto_schema.method == "PATCH")
            ]
        return schema
