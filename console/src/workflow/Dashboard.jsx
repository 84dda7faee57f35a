// The console's home: each evaluation with its workflow pages, the portfolio of
// providers under contract, and the latest jobs.
import { Title } from 'react-admin';
import { Link } from 'react-router-dom';
import { Problem, useLoad } from './client.jsx';

async function loadHome(api) {
  const [evaluations, jobs] = await Promise.all([
    api('/evaluations/?page_size=50&ordering=-id'),
    api('/jobs/?page_size=10&ordering=-created_at'),
  ]);
  return { evaluations: evaluations.results, jobs: jobs.results };
}

export function Dashboard() {
  const { data, error } = useLoad(loadHome, []);
  return (
    <div style={{ padding: 16 }}>
      <Title title="Scorecards console" />
      <Problem error={error} />
      <p>
        <Link to="/portfolio" className="portfolio-link">Portfolio: providers under contract</Link>
      </p>
      <h2>Evaluations</h2>
      {data && !data.evaluations.length && <p>No evaluations yet.</p>}
      <ul className="evaluations">
        {data?.evaluations.map((evaluation) => (
          <li key={evaluation.id}>
            {evaluation.name} ({evaluation.status}):{' '}
            <Link to={`/evaluations/${evaluation.id}/rate`}>rating sheet</Link>{' · '}
            <Link to={`/evaluations/${evaluation.id}/compare`}>comparison</Link>
          </li>
        ))}
      </ul>
      <h2>Latest jobs</h2>
      <ul className="jobs">
        {data?.jobs.map((job) => (
          <li key={job.id}>
            <Link to={`/jobs/${job.id}/progress`}>{job.kind}</Link>: {job.status} ({job.progress}%)
          </li>
        ))}
      </ul>
    </div>
  );
}
