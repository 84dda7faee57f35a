// The README's worked examples as typed requests: every path, parameter, body and
// response below is checked against the types generated from the served schema
// (`tsc --strict`, tests/clients/test_typescript_client.py), so an example the
// schema no longer allows fails the check. Nothing here runs in the tests.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type Schemas = components["schemas"];

/** The body of a successful answer, or the problem details as an error. */
async function ok<T>(result: Promise<{ data?: T; error?: unknown }>): Promise<T> {
  const { data, error } = await result;
  if (data === undefined) {
    throw new Error(JSON.stringify(error));
  }
  return data;
}

export function connect(api: string, token: string) {
  // `api` is the service's origin: the schema's paths start with /api/v1/.
  return createClient<paths>({ baseUrl: api, headers: { Authorization: `Bearer ${token}` } });
}

type Client = ReturnType<typeof connect>;

/** "Invite your team". */
export async function inviteYourTeam(client: Client): Promise<Schemas["Invitation"][]> {
  const me = await ok(client.GET("/api/v1/me/"));
  const who: string = me.organization.name;
  for (const [email, role] of [
    ["priya@clinic.example", "evaluator"],
    ["sam@clinic.example", "viewer"],
  ] as const) {
    await ok(client.POST("/api/v1/invitations/", { body: { email, role } }));
  }
  const pending = await ok(
    client.GET("/api/v1/invitations/", { params: { query: { status: "pending" } } }),
  );
  console.log(`${who}: ${pending.count} pending`);
  return pending.results;
}

/** "Providers: a provider with a reference, an SLA and a document". */
export async function providerWithEvidence(client: Client, report: Blob): Promise<Blob> {
  const provider = await ok(
    client.POST("/api/v1/providers/", {
      body: {
        name: "Northwind Security",
        website: "https://northwind.example",
        service_models: ["mssp", "vciso"],
        soc_model: "third_party",
        third_party_soc_name: "Blue Harbor SOC",
        delivery: "co_managed",
        industries: ["healthcare"],
        frameworks: ["hipaa", "soc2"],
      },
    }),
  );
  const provider_pk = provider.id;
  await ok(
    client.POST("/api/v1/providers/{provider_pk}/references/", {
      params: { path: { provider_pk } },
      body: {
        client_industry: "healthcare",
        frameworks: ["hipaa"],
        client_size: "51-200",
        contactable: true,
        contact_name: "Dana Reyes",
        contact_email: "dana@clinic.example",
      },
    }),
  );
  await ok(
    client.POST("/api/v1/providers/{provider_pk}/slas/", {
      params: { path: { provider_pk } },
      body: {
        metric: "incident_response_time",
        target_value: 30,
        unit: "minutes",
        remedy_type: "service_credit",
        remedy_details: "5% of the monthly fee per miss",
      },
    }),
  );
  const upload: Schemas["DocumentUploadRequest"] = {
    kind: "sample_monthly_report",
    title: "Sample monthly report",
    file: report,
  };
  const document = await ok(
    client.POST("/api/v1/providers/{provider_pk}/documents/", {
      params: { path: { provider_pk } },
      body: upload,
      bodySerializer(body) {
        const form = new FormData();
        form.append("kind", body.kind);
        form.append("title", body.title);
        form.append("file", body.file, "report.pdf");
        return form;
      },
    }),
  );
  const together = await ok(
    client.GET("/api/v1/providers/{id}/", { params: { path: { id: provider_pk } } }),
  );
  console.log(together.references.length, together.slas.length, together.documents.length);
  return ok(
    client.GET("/api/v1/providers/{provider_pk}/documents/{id}/download/", {
      params: { path: { provider_pk, id: document.id } },
      parseAs: "blob",
    }),
  );
}

/** "Questionnaires": the built-in one exported, imported as your own. */
export async function ownQuestionnaire(client: Client): Promise<Schemas["VersionDetail"]> {
  const builtin = await ok(
    client.GET("/api/v1/questionnaires/", { params: { query: { builtin: true } } }),
  );
  const questionnaire = builtin.results[0];
  if (questionnaire === undefined || questionnaire.published_version === null) {
    throw new Error("no published built-in questionnaire");
  }
  const published = String(questionnaire.published_version.id);
  const exported = await ok(
    client.GET("/api/v1/questionnaires/{questionnaire_pk}/versions/{id}/export/", {
      params: {
        path: { questionnaire_pk: questionnaire.id, id: published },
        query: { format: "json" },
      },
    }),
  );
  return ok(
    client.POST("/api/v1/questionnaires/import/", {
      body: { ...exported, code: "mine", name: "Our vetting questionnaire" },
    }),
  );
}

async function finished(client: Client, job: Schemas["Job"]): Promise<Schemas["Job"]> {
  let current = job;
  while (current.status === "pending" || current.status === "running") {
    await new Promise((resolve) => setTimeout(resolve, 200));
    current = await ok(client.GET("/api/v1/jobs/{id}/", { params: { path: { id: job.id } } }));
  }
  if (current.status === "failed") {
    throw new Error(current.error);
  }
  return current;
}

/** "From needs assessment to a comparison report" (docs/examples/walkthrough.py). */
export async function needsToReport(
  client: Client,
  versionId: number,
  answers: Schemas["AnswerItemRequest"][],
  ratings: Schemas["RatingItemRequest"][],
): Promise<Blob> {
  const me = await ok(client.GET("/api/v1/me/"));
  const assessment = await ok(
    client.POST("/api/v1/needs-assessments/", {
      body: {
        name: "Clinic 2026 review",
        profile: {
          industry: "healthcare",
          employee_count: 120,
          regulated_data: true,
          frameworks: ["hipaa"],
          internal_it_staff: true,
        },
      },
    }),
  );
  const evaluation = await ok(
    client.POST("/api/v1/evaluations/", {
      body: {
        name: "Security providers 2026",
        questionnaire_version: versionId,
        needs_assessment: assessment.id,
        industry: "healthcare",
        employee_count: 120,
        required_service_models: ["mssp", "vciso"],
        frameworks: ["hipaa"],
        ratings_due: "2026-12-18",
        decision_due: "2026-12-25",
      },
    }),
  );
  const evaluation_pk = evaluation.id;
  const catalog = await ok(
    client.GET("/api/v1/capabilities/", { params: { query: { page_size: 100 } } }),
  );
  const provider = await ok(
    client.POST("/api/v1/providers/", {
      body: { name: "Harbor Shield", service_models: ["mssp", "vciso"], soc_model: "own" },
    }),
  );
  for (const capability of catalog.results) {
    await ok(
      client.POST("/api/v1/providers/{provider_pk}/capabilities/", {
        params: { path: { provider_pk: provider.id } },
        body: { capability: capability.code, delivered_by: "self" },
      }),
    );
  }
  const candidate = await ok(
    client.POST("/api/v1/evaluations/{evaluation_pk}/candidates/", {
      params: { path: { evaluation_pk } },
      body: { provider: provider.id },
    }),
  );
  await ok(
    client.POST("/api/v1/evaluations/{id}/status/", {
      params: { path: { id: evaluation_pk } },
      body: { status: "collecting" },
    }),
  );
  const counts = await ok(
    client.POST("/api/v1/evaluations/{evaluation_pk}/answers/", {
      params: { path: { evaluation_pk } },
      body: answers,
    }),
  );
  console.log(counts.created, counts.updated);
  if (me.membership === null) {
    throw new Error("a token of a member rates");
  }
  const evaluator = await ok(
    client.POST("/api/v1/evaluations/{evaluation_pk}/evaluators/", {
      params: { path: { evaluation_pk } },
      body: { member: me.membership },
    }),
  );
  await ok(
    client.POST("/api/v1/evaluations/{evaluation_pk}/evaluators/{id}/declaration/", {
      params: { path: { evaluation_pk, id: evaluator.id } },
      body: { has_conflict: false },
    }),
  );
  await ok(
    client.POST("/api/v1/evaluations/{evaluation_pk}/ratings/", {
      params: { path: { evaluation_pk } },
      body: ratings,
    }),
  );
  await ok(
    client.POST("/api/v1/evaluations/{evaluation_pk}/ratings/submit/", {
      params: { path: { evaluation_pk } },
      body: { candidate: candidate.id },
    }),
  );
  const scoring = await ok(
    client.POST("/api/v1/evaluations/{id}/score/", { params: { path: { id: evaluation_pk } } }),
  );
  await finished(client, scoring);
  const scorecards = await ok(
    client.GET("/api/v1/evaluations/{id}/scorecards/", { params: { path: { id: evaluation_pk } } }),
  );
  for (const card of scorecards) {
    const flags = card.red_flags.map((flag) => flag.tag).join(", ");
    console.log(`${card.rank}. ${card.provider_name}: ${card.overall} ${flags}`);
  }
  const job = await finished(
    client,
    await ok(
      client.POST("/api/v1/evaluations/{evaluation_pk}/reports/", {
        params: { path: { evaluation_pk } },
        body: { seed: 2026 },
      }),
    ),
  );
  const reportId = job.result === null ? undefined : job.result["report"];
  if (typeof reportId !== "number") {
    throw new Error("the job names no report");
  }
  const report = await ok(
    client.GET("/api/v1/reports/{id}/", { params: { path: { id: reportId } } }),
  );
  console.log(report.content.summary_points.join("\n"));
  return ok(
    client.GET("/api/v1/reports/{id}/download/", {
      params: { path: { id: reportId }, query: { format: "html" } },
      parseAs: "blob",
    }),
  );
}
