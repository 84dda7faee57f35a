// Plain data for the comparison view: the latest scorecards grouped by lot
// (candidates without lots under "all"), each lot ranked as the API ranked it.
export function byLot(scorecards) {
  const lots = new Map();
  for (const card of scorecards) {
    const lot = card.lot || 'all';
    if (!lots.has(lot)) lots.set(lot, []);
    lots.get(lot).push(card);
  }
  for (const cards of lots.values()) {
    cards.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.id - b.id);
  }
  return [...lots.entries()].map(([lot, cards]) => ({ lot, cards }));
}

export function flagText(card) {
  const flags = card.red_flags.map((flag) => `${flag.tag} (${flag.question})`);
  const knockouts = card.failed_knockouts.map((question) => `knockout ${question}`);
  return [...flags, ...knockouts].join(', ');
}

// The award of a report's content: lot -> winner name.
export function awardedLots(content) {
  const best = content?.awards?.awards?.[0];
  if (!best) return [];
  const names = new Map(best.winners.map((winner) => [winner.candidate_id, winner.name]));
  return Object.entries(best.assignments).map(([lot, candidate]) => ({
    lot,
    candidate,
    name: names.get(candidate) || String(candidate),
  }));
}
