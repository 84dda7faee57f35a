"""ScoringState: a per-evaluation inputs revision, bumped by triggers on every scoring input.

The triggers live in the database so that every write counts, through the ORM,
bulk updates or raw SQL alike. PostgreSQL uses statement-level triggers with
transition tables (one UPDATE of the revision per statement, however many rows
it wrote); SQLite, which has row-level triggers only, bumps once per row.
"""

# The statements are built from this module's constants only: no input reaches them.
# ruff: noqa: S608

import django.db.models.deletion
from django.db import migrations, models

STATE = "evaluations_scoringstate"
VIA_CANDIDATE = "SELECT evaluation_id FROM evaluations_candidate WHERE id IN ({candidate_id})"
VIA_VERSION = (
    "SELECT id FROM evaluations_evaluation WHERE questionnaire_version_id IN ({version_id})"
    " UNION SELECT evaluation_id FROM evaluations_evaluationpack WHERE version_id IN ({version_id})"
)
SETTINGS = (
    "questionnaire_version_id",
    "industry",
    "required_service_models",
    "section_weights",
    "excluded_questions",
    "aggregation",
    "lots",
)
ALL = ("INSERT", "UPDATE", "DELETE")

# (table, events, the ids of the evaluations a changed row belongs to, and for
# UPDATE-only sources the columns whose change counts).
SOURCES = (
    ("evaluations_answer", ALL, VIA_CANDIDATE, ()),
    ("evaluations_rating", ALL, VIA_CANDIDATE, ()),
    ("evaluations_ratingsheet", ALL, VIA_CANDIDATE, ()),
    ("evaluations_override", ALL, VIA_CANDIDATE, ()),
    ("evaluations_candidate", ALL, "{evaluation_id}", ()),
    ("evaluations_evaluationpack", ALL, "{evaluation_id}", ()),
    ("questionnaires_question", ALL, VIA_VERSION, ()),
    ("questionnaires_section", ALL, VIA_VERSION, ()),
    (
        "providers_provider",
        ("UPDATE",),
        "SELECT evaluation_id FROM evaluations_candidate WHERE provider_id IN ({id})",
        ("name",),
    ),
    ("evaluations_evaluation", ("UPDATE",), "{id}", SETTINGS),
    # Scoring never deletes a scorecard; whoever does must not leave the
    # shortcut listing it (rank and supersede updates do not count).
    ("evaluations_scorecard", ("DELETE",), "{evaluation_id}", ()),
)
COLUMNS = ("candidate_id", "evaluation_id", "version_id", "id")


def _bump(*ids: str) -> str:
    owners = " OR ".join(f"evaluation_id IN ({one})" for one in ids)
    return f"UPDATE {STATE} SET inputs_revision = inputs_revision + 1 WHERE {owners}"


def _postgresql(table, event, template, changed):
    name = f"scoring_inputs_{table}_{event.lower()}"
    if changed:  # rows whose counted columns changed
        condition = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in changed)
        rows = f"(SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {condition}) r"
    elif event == "UPDATE":  # a row may move: its old and its new owner both change
        rows = "(SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows) r"
    else:
        rows = f"{'new' if event == 'INSERT' else 'old'}_rows r"
    ids = template.format(**{c: f"SELECT r.{c} FROM {rows}" for c in COLUMNS})
    referencing = {
        "INSERT": "NEW TABLE AS new_rows",
        "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "OLD TABLE AS old_rows",
    }[event]
    return [
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
        f" BEGIN {_bump(ids)}; RETURN NULL; END $$",
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
    ], [f"DROP TRIGGER {name} ON {table}", f"DROP FUNCTION {name}()"]


def _sqlite(table, event, template, changed):
    name = f"scoring_inputs_{table}_{event.lower()}"
    rows = {"INSERT": ["NEW"], "UPDATE": ["NEW", "OLD"], "DELETE": ["OLD"]}[event]
    ids = [template.format(**{c: f"{row}.{c}" for c in COLUMNS}) for row in rows]
    when = " WHEN " + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in changed) if changed else ""
    return [
        f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when} BEGIN {_bump(*ids)}; END"
    ], [f"DROP TRIGGER {name}"]


def _statements(vendor):
    create, drop = [], []
    if vendor == "postgresql":
        create += [
            f"CREATE FUNCTION scoring_state_create() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN INSERT INTO {STATE} (evaluation_id, inputs_revision, scored_revision,"
            f" scored_engine) SELECT id, 1, NULL, '' FROM new_rows; RETURN NULL; END $$",
            "CREATE TRIGGER scoring_state_create AFTER INSERT ON evaluations_evaluation"
            " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"
            " EXECUTE FUNCTION scoring_state_create()",
        ]
        drop += [
            "DROP TRIGGER scoring_state_create ON evaluations_evaluation",
            "DROP FUNCTION scoring_state_create()",
        ]
        build = _postgresql
    else:
        create.append(
            "CREATE TRIGGER scoring_state_create AFTER INSERT ON evaluations_evaluation"
            f" FOR EACH ROW BEGIN INSERT INTO {STATE} (evaluation_id, inputs_revision,"
            " scored_revision, scored_engine) VALUES (NEW.id, 1, NULL, ''); END"
        )
        drop.append("DROP TRIGGER scoring_state_create")
        build = _sqlite
    for table, events, template, changed in SOURCES:
        for event in events:
            up, down = build(table, event, template, changed)
            create += up
            drop += down
    return create, drop


def create_triggers(apps, schema_editor):
    state = apps.get_model("evaluations", "ScoringState")
    evaluations = apps.get_model("evaluations", "Evaluation").objects.values_list("pk", flat=True)
    state.objects.bulk_create(state(evaluation_id=pk) for pk in evaluations.iterator())
    for sql in _statements(schema_editor.connection.vendor)[0]:
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor)[1]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0016_auditevent_source_prefill"),
        ("providers", "0002_provider_external_ids"),
        # After every migration of the tables the triggers watch: on SQLite a table
        # rebuilt by a later migration would lose its triggers.
        ("questionnaires", "0003_question_prefill"),
    ]

    operations = [
        migrations.CreateModel(
            name="ScoringState",
            fields=[
                (
                    "evaluation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="scoring_state",
                        serialize=False,
                        to="evaluations.evaluation",
                    ),
                ),
                ("inputs_revision", models.BigIntegerField(default=1)),
                ("scored_revision", models.BigIntegerField(blank=True, null=True)),
                ("scored_engine", models.CharField(blank=True, max_length=10)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
