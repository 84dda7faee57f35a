// An evaluator's rating sheet, blind: only their own assignment, the candidates
// and the judged questions; never others' ratings or the scorecards. The
// conflict-of-interest declaration comes first; rating opens once it allows.
import { useState } from 'react';
import { Title } from 'react-admin';
import { useParams } from 'react-router-dom';
import { Problem, everyPage, useApi, useLoad } from './client.jsx';

const DEFAULT_SCALE_MAX = 5;

export function judgedQuestions(sections) {
  return sections.flatMap((section) =>
    section.questions
      .filter((question) => (question.scoring || (['text', 'evidence'].includes(question.kind) ? 'judged' : 'auto')) === 'judged')
      .map((question) => ({ ...question, scale_max: question.scale_max ?? DEFAULT_SCALE_MAX })),
  );
}

async function loadSheet(api, id) {
  const me = await api('/me/');
  const assignments = await everyPage(api, `/evaluators/?evaluation=${id}`);
  const assignment = assignments.find((item) => item.member === me.membership);
  if (!assignment || !assignment.may_rate) return { assignment };
  const evaluation = await api(`/evaluations/${id}/`);
  const [version, candidates, sheets] = await Promise.all([
    api(`/questionnaire-versions/${evaluation.questionnaire_version}/`),
    everyPage(api, `/candidates/?evaluation=${id}`),
    api(`/evaluations/${id}/ratings/sheets/`),
  ]);
  const submitted = new Set(sheets.filter((sheet) => sheet.evaluator === assignment.id).map((sheet) => sheet.candidate));
  return { assignment, evaluation, questions: judgedQuestions(version.sections), candidates, submitted };
}

function Declaration({ evaluation, assignment, onDone }) {
  const api = useApi();
  const [conflict, setConflict] = useState(false);
  const [details, setDetails] = useState('');
  const [error, setError] = useState(null);
  const declare = async (event) => {
    event.preventDefault();
    try {
      await api(`/evaluations/${evaluation}/evaluators/${assignment.id}/declaration/`, {
        method: 'POST',
        body: { has_conflict: conflict, details },
      });
      onDone();
    } catch (problem) {
      setError(problem);
    }
  };
  return (
    <form className="declaration" onSubmit={declare}>
      <h3>Declare conflicts of interest first</h3>
      <label>
        <input type="checkbox" name="has_conflict" checked={conflict} onChange={(e) => setConflict(e.target.checked)} />
        I have a conflict of interest with a candidate
      </label>
      <label style={{ display: 'block' }}>
        Details
        <textarea name="details" value={details} onChange={(e) => setDetails(e.target.value)} />
      </label>
      <Problem error={error} />
      <button type="submit">Declare</button>
    </form>
  );
}

function CandidateSheet({ evaluation, candidate, questions, submitted, onSubmitted }) {
  const api = useApi();
  const [scores, setScores] = useState({});
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  const set = (code, key) => (event) => setScores({ ...scores, [code]: { ...scores[code], [key]: event.target.value } });
  const items = () =>
    questions
      .filter((question) => scores[question.code]?.score !== undefined && scores[question.code].score !== '')
      .map((question) => ({
        candidate: candidate.id,
        question: question.code,
        score: Number(scores[question.code].score),
        comment: scores[question.code].comment || '',
      }));
  const act = (work) => async (event) => {
    event.preventDefault();
    setError(null);
    try {
      await work();
    } catch (problem) {
      setError(problem);
    }
  };
  const save = async () => {
    await api(`/evaluations/${evaluation}/ratings/`, { method: 'POST', body: items() });
    setSaved(true);
  };
  const submit = async () => {
    await save();
    await api(`/evaluations/${evaluation}/ratings/submit/`, { method: 'POST', body: { candidate: candidate.id } });
    onSubmitted();
  };
  if (submitted) return <section className="sheet submitted"><h3>{candidate.provider_name}</h3><p>Sheet submitted.</p></section>;
  return (
    <form className="sheet" data-candidate={candidate.id} onSubmit={act(save)}>
      <h3>{candidate.provider_name}</h3>
      {questions.map((question) => (
        <fieldset key={question.code}>
          <legend>{question.code}: {question.text}</legend>
          <label>
            Score (0 to {question.scale_max})
            <input type="number" name={`score-${question.code}`} min="0" max={question.scale_max} onChange={set(question.code, 'score')} />
          </label>
          <label>
            Comment
            <input type="text" name={`comment-${question.code}`} onChange={set(question.code, 'comment')} />
          </label>
        </fieldset>
      ))}
      <Problem error={error} />
      {saved && <p>Saved.</p>}
      <button type="submit">Save</button> <button type="button" onClick={act(submit)}>Submit sheet</button>
    </form>
  );
}

export function RatingSheet() {
  const { id } = useParams();
  const { data, error, reload } = useLoad((api) => loadSheet(api, id), [id]);
  return (
    <div style={{ padding: 16 }}>
      <Title title="Rating sheet" />
      <Problem error={error} />
      {data && !data.assignment && <p>You are not an evaluator of this evaluation.</p>}
      {data?.assignment && !data.assignment.declared_at && (
        <Declaration evaluation={id} assignment={data.assignment} onDone={reload} />
      )}
      {data?.assignment?.declared_at && !data.assignment.may_rate && (
        <p>Your declared conflict keeps you from rating, unless the lead overrides it.</p>
      )}
      {data?.questions &&
        data.candidates.map((candidate) => (
          <CandidateSheet
            key={candidate.id}
            evaluation={id}
            candidate={candidate}
            questions={data.questions}
            submitted={data.submitted.has(candidate.id)}
            onSubmitted={reload}
          />
        ))}
    </div>
  );
}
