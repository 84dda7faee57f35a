// Every provider under contract: its contracts with their next renewal and notice
// deadline (highlighted once near or passed), SLA status and open findings.
import { Title } from 'react-admin';
import { Link } from 'react-router-dom';
import { Problem, everyPage, useLoad } from './client.jsx';
import { SLA_LABELS, findingsText, noticeText, priceText, slaText } from './portfolio.js';

const NOTICE_COLORS = { passed: '#fdecea', near: '#fff4e5' };
const SLA_COLORS = { breached: '#fff4e5', termination_right: '#fdecea' };

const loadPortfolio = (api) => everyPage(api, '/portfolio/');

function Contracts({ contracts }) {
  return (
    <ul className="contracts" style={{ margin: 0, paddingLeft: 16 }}>
      {contracts.map((contract) => (
        <li key={contract.id}>
          <Link to={`/contracts/${contract.id}/show`}>{contract.title}</Link>
          {contract.lots.length > 0 && ` (${contract.lots.map((lot) => lot.title).join(', ')})`}
          : renews {contract.renewal_date}, SLA {slaText(contract)}
        </li>
      ))}
    </ul>
  );
}

export function Portfolio() {
  const { data, error } = useLoad(loadPortfolio, []);
  return (
    <div style={{ padding: 16 }}>
      <Title title="Portfolio" />
      <Problem error={error} />
      <h2>Providers under contract</h2>
      {data && !data.length && <p>No provider is under contract yet.</p>}
      {data && data.length > 0 && (
        <table className="portfolio" cellPadding={6} style={{ borderCollapse: 'collapse' }}>
          <thead>
            <tr>
              <th>Provider</th><th>Contracts</th><th>Committed</th><th>Next renewal</th>
              <th>Notice deadline</th><th>SLA</th><th>Open findings</th>
            </tr>
          </thead>
          <tbody>
            {data.map((entry) => {
              const renewal = entry.next_renewal;
              const notice = renewal?.notice_status || 'none';
              return (
                <tr key={entry.id} className={`provider notice-${notice} sla-${entry.sla_status}`}>
                  <td>{entry.name}</td>
                  <td><Contracts contracts={entry.contracts} /></td>
                  <td>{priceText(entry.committed)}</td>
                  <td>{renewal ? `${renewal.renewal_date} (${renewal.renewal_days_left} days)` : '-'}</td>
                  <td className="notice" style={{ background: NOTICE_COLORS[notice] }}>
                    {noticeText(renewal)}
                  </td>
                  <td className="sla" style={{ background: SLA_COLORS[entry.sla_status] }}>
                    {SLA_LABELS[entry.sla_status]}
                  </td>
                  <td className="findings">{findingsText(entry.open_findings)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
