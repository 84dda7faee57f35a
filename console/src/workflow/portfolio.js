// Plain data for the portfolio page: how a notice deadline, an SLA status and the
// open findings read in the table.
const SEVERITIES = ['critical', 'high', 'medium', 'low'];

export const SLA_LABELS = {
  not_measured: 'not measured',
  met: 'met',
  breached: 'breached',
  termination_right: 'termination right reached',
};

// "passed" and "near" rows are highlighted (the API decides which is which).
export function noticeText(renewal) {
  if (!renewal) return 'no renewal ahead';
  const days = renewal.notice_days_left;
  if (days < 0) return `${renewal.notice_deadline} (passed ${-days} days ago)`;
  return `${renewal.notice_deadline} (${days} days left)`;
}

export function findingsText(counts) {
  if (!counts.total) return 'none';
  return SEVERITIES.filter((severity) => counts[severity])
    .map((severity) => `${counts[severity]} ${severity}`)
    .join(', ');
}

export function slaText(contract) {
  const { sla } = contract;
  const parts = [SLA_LABELS[sla.status] || sla.status];
  if (sla.last_period) parts.push(`last month ${sla.last_period}`);
  if (sla.credit_total) parts.push(`credits ${sla.credit_total} ${contract.currency}`.trim());
  return parts.join(', ');
}

export function priceText(committed) {
  return committed
    .filter((total) => total.monthly || total.one_time)
    .map((total) =>
      [total.monthly && `${total.monthly}/month`, total.one_time && `${total.one_time} once`]
        .filter(Boolean)
        .map((amount) => `${amount} ${total.currency}`.trim())
        .join(' + '),
    )
    .join('; ');
}
