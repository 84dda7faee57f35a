// A background job (scoring, a report) as it runs: polled each second until it
// succeeds or fails.
import { useEffect, useState } from 'react';
import { Title } from 'react-admin';
import { useParams } from 'react-router-dom';
import { Problem, useApi } from './client.jsx';

const FINISHED = ['succeeded', 'failed'];

export function useJob(id, onFinished) {
  const api = useApi();
  const [job, setJob] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    if (!id) return undefined;
    let live = true;
    let timer = null;
    const poll = async () => {
      try {
        const current = await api(`/jobs/${id}/`);
        if (!live) return;
        setJob(current);
        if (FINISHED.includes(current.status)) onFinished?.(current);
        else timer = setTimeout(poll, 1000);
      } catch (failure) {
        if (live) setError(failure);
      }
    };
    poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, id]);
  return { job, error };
}

export function JobStatus({ id, onFinished }) {
  const { job, error } = useJob(id, onFinished);
  if (error) return <Problem error={error} />;
  if (!job) return <p>Starting…</p>;
  return (
    <p className="job" data-status={job.status}>
      {job.kind}: <strong>{job.status}</strong>{' '}
      <progress max="100" value={job.progress} aria-label="Progress" /> {job.progress}%
      {job.error ? ` ${job.error}` : ''}
    </p>
  );
}

export function JobProgress() {
  const { id } = useParams();
  return (
    <div style={{ padding: 16 }}>
      <Title title={`Job ${id}`} />
      <h2>Job {id}</h2>
      <JobStatus id={id} />
    </div>
  );
}
