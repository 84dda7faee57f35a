import { OpenApiAdmin, openApiSchemaAnalyzer } from '@api-platform/admin';
import { CustomRoutes, defaultTheme } from 'react-admin';
import { BrowserRouter, Route } from 'react-router-dom';
import { authProvider } from './auth.js';
import { dataProvider } from './dataProvider.js';
import { parseSchema } from './schema.js';
import { ApiContext } from './workflow/client.jsx';
import { Comparison } from './workflow/Comparison.jsx';
import { Dashboard } from './workflow/Dashboard.jsx';
import { JobProgress } from './workflow/JobProgress.jsx';
import { Portfolio } from './workflow/Portfolio.jsx';
import { RatingSheet } from './workflow/RatingSheet.jsx';

// System fonts: the console loads nothing from other sites.
const theme = {
  ...defaultTheme,
  typography: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Arial, sans-serif' },
};

// Server-side validation errors (problem details mapped by http.js) go onto the form's inputs.
const schemaAnalyzer = {
  ...openApiSchemaAnalyzer(),
  getSubmissionErrors: (error) => error?.body?.errors || null,
};

function introspector(entrypoint, docEntrypoint) {
  const parse = parseSchema(entrypoint);
  let parsed = null;
  return async () => {
    parsed = parsed || (await parse(docEntrypoint));
    return { data: parsed.api };
  };
}

export function App({ settings }) {
  const entrypoint = new URL(settings.entrypoint, window.location.href).href;
  const docEntrypoint = new URL(settings.docEntrypoint, window.location.href).href;
  const provider = dataProvider(entrypoint, introspector(entrypoint, docEntrypoint));
  // Addresses under /console/ are the app's own (react-admin would use the URL's
  // hash otherwise); Django serves the same page for all of them.
  return (
    <BrowserRouter basename={settings.basename}>
    <ApiContext.Provider value={entrypoint}>
    <OpenApiAdmin
      entrypoint={entrypoint}
      docEntrypoint={docEntrypoint}
      dataProvider={provider}
      schemaAnalyzer={schemaAnalyzer}
      authProvider={authProvider(settings)}
      loginPage={false}
      // react-admin reports each page load to its makers' server unless told not to.
      disableTelemetry
      theme={theme}
      darkTheme={null}
      title="Scorecards console"
      dashboard={Dashboard}
    >
      <CustomRoutes>
        <Route path="/evaluations/:id/rate" element={<RatingSheet />} />
        <Route path="/evaluations/:id/compare" element={<Comparison />} />
        <Route path="/jobs/:id/progress" element={<JobProgress />} />
        <Route path="/portfolio" element={<Portfolio />} />
      </CustomRoutes>
    </OpenApiAdmin>
    </ApiContext.Provider>
    </BrowserRouter>
  );
}
