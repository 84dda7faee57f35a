// The lead's comparison of an evaluation: each lot's ranking from the latest
// scorecards with their flags, scoring on demand, the award of the latest report,
// and the reports to build and download.
import { useContext, useState } from 'react';
import { Title } from 'react-admin';
import { useParams } from 'react-router-dom';
import { ApiContext, Problem, everyPage, useApi, useLoad } from './client.jsx';
import { JobStatus } from './JobProgress.jsx';
import { awardedLots, byLot, flagText } from './ranking.js';

const FORMATS = ['html', 'xlsx', 'csv', 'json'];

async function loadComparison(api, id) {
  const [evaluation, scorecards, reports] = await Promise.all([
    api(`/evaluations/${id}/`),
    api(`/evaluations/${id}/scorecards/`),
    everyPage(api, `/reports/?evaluation=${id}&ordering=-id`),
  ]);
  let award = [];
  if (reports.length) {
    // A report still being built has no content yet: then there is no award to show.
    award = await api(`/reports/${reports[0].id}/download/?format=json`).then(awardedLots, () => []);
  }
  return { evaluation, scorecards, reports, award };
}

function Ranking({ scorecards }) {
  if (!scorecards.length) return <p>No scorecards yet: score the evaluation.</p>;
  return byLot(scorecards).map(({ lot, cards }) => (
    <section key={lot} className="lot">
      <h3>Lot {lot}</h3>
      <table className="ranking">
        <thead>
          <tr>
            <th>Rank</th><th>Provider</th><th>Overall</th><th>Completeness</th><th>Flags</th>
          </tr>
        </thead>
        <tbody>
          {cards.map((card) => (
            <tr key={card.id} className={card.disqualified ? 'disqualified' : ''}>
              <td>{card.disqualified ? 'out' : card.rank}</td>
              <td>{card.provider_name}</td>
              <td>{card.overall}</td>
              <td>{card.completeness}</td>
              <td>{flagText(card)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  ));
}

function Reports({ reports }) {
  const base = useContext(ApiContext).replace(/\/$/, '');
  if (!reports.length) return <p>No reports yet.</p>;
  return (
    <ul className="reports">
      {reports.map((report) => (
        <li key={report.id}>
          {report.title} ({report.created_at}):{' '}
          {FORMATS.map((format) => (
            <a key={format} href={`${base}/reports/${report.id}/download/?format=${format}`} download>
              {format}{' '}
            </a>
          ))}
        </li>
      ))}
    </ul>
  );
}

export function Comparison() {
  const { id } = useParams();
  const api = useApi();
  const { data, error, reload } = useLoad((client) => loadComparison(client, id), [id]);
  const [job, setJob] = useState(null);
  const [failure, setFailure] = useState(null);
  const start = (path) => async () => {
    setFailure(null);
    try {
      setJob((await api(path, { method: 'POST', body: {} })).id);
    } catch (problem) {
      setFailure(problem);
    }
  };
  return (
    <div style={{ padding: 16 }}>
      <Title title="Comparison" />
      <Problem error={error || failure} />
      {data && (
        <>
          <h2>{data.evaluation.name}</h2>
          <p>
            <button type="button" onClick={start(`/evaluations/${id}/score/`)}>Score now</button>{' '}
            <button type="button" onClick={start(`/evaluations/${id}/reports/`)}>Build a report</button>
          </p>
          {job && <JobStatus key={job} id={job} onFinished={reload} />}
          <Ranking scorecards={data.scorecards} />
          <h3>Award</h3>
          {data.award.length ? (
            <ul className="award">
              {data.award.map((item) => (
                <li key={item.lot}>Lot {item.lot}: {item.name}</li>
              ))}
            </ul>
          ) : (
            <p>No award in the latest report.</p>
          )}
          <h3>Reports</h3>
          <Reports reports={data.reports} />
        </>
      )}
    </div>
  );
}
