// An incident's clips: its footage (every camera, its range and a margin) saved as signed evidence in cctv-clips, kept until
// an administrator deletes it with a reason. Operators save one; everyone downloads; administrators delete.

import { del, get, post, query } from './api';
import { el, errorText, guarded, showMessage } from './dom';
import { canOperate, isAdmin } from './session';
import type { Clip, Incident } from './types';
import { dateTime, ms } from './time';

const statusText: Record<string, string> = {
  PENDING: 'Waiting to start', PROCESSING: 'Being made', COMPLETED: 'Kept', FAILED: 'Failed', DELETED: 'Deleted',
};

/** The panel and its loader; <c>onChange</c> runs after a clip is saved or deleted (the chain of custody has a new entry). */
export function clipsPanel(incident: Incident, onChange: () => Promise<void>): { element: HTMLElement; load: () => Promise<void>; stop: () => void } {
  const list = el('div', { class: 'results', 'data-testid': 'clips' }, el('p', { class: 'muted' }, 'Loading clips…'));
  const margin = el('input', { type: 'number', min: 0, max: 3600, step: 1, value: 30, name: 'clip_margin', 'data-testid': 'clip-margin' });
  const reason = el('input', { name: 'clip_reason', placeholder: 'Why this footage is kept (required)', maxlength: 2000, 'data-testid': 'clip-reason' });
  const save = el('button', { type: 'submit', 'data-testid': 'save-clip' }, 'Save clip');
  const form = el('form', { class: 'form-row' }, el('label', {}, 'Margin (seconds before and after) ', margin), reason, save);
  let timer: number | undefined;
  let stopped = false;
  const startedAt = Date.now();

  const load = async () => {
    window.clearTimeout(timer);
    try {
      const clips = await get<Clip[]>(`/api/v1/storage/clips${query({ incident_id: incident.id })}`);
      list.replaceChildren(...(clips.length ? clips.map(c => row(c, async () => { await load(); await onChange(); }))
        : [el('p', { class: 'muted' }, 'No clip of this incident is kept yet.')]));
      // follows a clip being made, for at most an hour: nothing polls forever
      if (clips.some(c => c.status === 'PENDING' || c.status === 'PROCESSING') && !stopped && Date.now() - startedAt < 3_600_000) {
        timer = window.setTimeout(() => void load().then(onChange), 1500);
      }
    } catch (error) {
      list.replaceChildren(el('p', { class: 'error' }, `The clips could not be loaded. ${errorText(error)}`));
    }
  };

  form.addEventListener('submit', event => {
    event.preventDefault();
    void guarded(save, async () => {
      if (!reason.value.trim()) throw new Error('Say why this footage is kept: the reason goes into the chain of custody.');
      await post('/api/v1/storage/clips', { incident_id: incident.id, margin_seconds: Number(margin.value || 0), reason: reason.value.trim() });
      reason.value = '';
      showMessage('The clip is being made from the incident’s footage.', 'notice');
      await load();
      await onChange();
    });
  });

  const element = el('section', { class: 'panel' },
    el('h2', {}, 'Clips kept as evidence'),
    el('p', { class: 'muted' }, 'Every camera of the incident over its range and the margin, stitched without re-encoding and signed by the system. '
      + 'Kept until an administrator deletes it; retention never removes it. The download is a zip that verifies offline (see its README).'),
    list, canOperate() ? form : null);
  return { element, load, stop: () => { stopped = true; window.clearTimeout(timer); } };
}

function row(clip: Clip, changed: () => Promise<void>): HTMLElement {
  const size = clip.file_size ? ` · ${(clip.file_size / 1_048_576).toFixed(1)} MB` : '';
  const deleted = clip.status === 'DELETED';
  return el('article', { class: 'result', 'data-clip-id': clip.id, 'data-status': clip.status },
    el('div', {}, el('span', { class: `badge export-${deleted ? 'failed' : clip.status.toLowerCase()}` }, statusText[clip.status] ?? clip.status), ' ',
      `${dateTime(ms(clip.start_time))} – ${dateTime(ms(clip.end_time))} · ${clip.camera_ids.length} camera(s) · margin ${clip.margin_seconds} s${size}`),
    el('div', { class: 'muted' }, `${clip.reason} · by ${clip.created_by}, ${dateTime(ms(clip.created_at))}`),
    clip.error ? el('div', { class: 'error' }, `The clip failed: ${clip.error}`) : null,
    deleted ? el('div', { class: 'error', 'data-testid': 'clip-deleted' },
      `Deleted by ${clip.deleted_by} at ${clip.deleted_at ? dateTime(ms(clip.deleted_at)) : ''}: ${clip.delete_reason}`) : null,
    clip.status === 'COMPLETED' && clip.download_url
      ? el('a', { href: clip.download_url, download: '', class: 'button', 'data-testid': 'download-clip' }, 'Download evidence (zip)')
      : null,
    clip.checksum && !deleted ? el('div', { class: 'small-text hash' }, `SHA-256 ${clip.checksum} · signed by key ${clip.signing_key_sha256?.slice(0, 16)}…`) : null,
    isAdmin() && (clip.status === 'COMPLETED' || clip.status === 'FAILED') ? deleteForm(clip, changed) : null);
}

function deleteForm(clip: Clip, changed: () => Promise<void>): HTMLElement {
  const reason = el('input', { name: 'delete_reason', placeholder: 'Why this evidence is deleted (required)', maxlength: 2000, 'data-testid': 'delete-reason' });
  const remove = el('button', { type: 'submit', class: 'danger', 'data-testid': 'delete-clip' }, 'Delete clip');
  const form = el('form', { class: 'form-row' }, reason, remove);
  form.addEventListener('submit', event => {
    event.preventDefault();
    void guarded(remove, async () => {
      if (!reason.value.trim()) throw new Error('Say why this evidence is deleted: the reason goes into the chain of custody.');
      await del(`/api/v1/storage/clips/${clip.id}`, { reason: reason.value.trim() });
      showMessage('The clip was deleted; the reason is in the chain of custody.', 'notice');
      await changed();
    });
  });
  return form;
}
