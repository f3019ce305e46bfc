// A range selected on a timeline: its bounds (editable to the second) and the cameras it applies to, turned
// into a new incident or an export request.

import { post } from './api';
import { el, guarded, showMessage } from './dom';
import type { Camera, Incident, Export } from './types';
import { clock, dateTime, fromLocalInput, iso, toLocalInput } from './time';

/** What can be done with a selected range: an incident or an export, for the cameras ticked (all of them at first). */
export function showRange(panel: HTMLElement, cameras: Camera[], from: number, to: number): void {
  const ticks = cameras.map(c => el('input', { type: 'checkbox', name: 'range_camera', value: c.id, checked: true }));
  const chosen = () => {
    const ids = ticks.filter(t => t.checked).map(t => t.value);
    if (!ids.length) throw new Error('Tick at least one camera.');
    return ids;
  };
  const start = el('input', { type: 'datetime-local', step: 1, value: toLocalInput(from), name: 'start' });
  const end = el('input', { type: 'datetime-local', step: 1, value: toLocalInput(to + 999), name: 'end' });
  const title = el('input', { name: 'title', placeholder: 'What happened', maxlength: 255, 'data-testid': 'incident-title' });
  const severity = el('select', { name: 'severity' }, ...['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map(s => el('option', { value: s, selected: s === 'MEDIUM' }, s)));
  const description = el('textarea', { name: 'description', rows: 2, placeholder: 'Description (optional)' });
  const tags = el('input', { name: 'tags', placeholder: 'Tags, separated by commas' });
  const create = el('button', { 'data-testid': 'create-incident' }, 'Create incident');
  const reason = el('input', { name: 'reason', placeholder: 'Reason for the export', 'data-testid': 'export-reason' });
  const exportButton = el('button', { 'data-testid': 'request-export' }, 'Request export');
  const times = () => {
    const a = fromLocalInput(start.value);
    const b = fromLocalInput(end.value);
    if (!Number.isFinite(a) || !Number.isFinite(b) || b <= a) throw new Error('The end of the range must be after its start.');
    return [iso(Math.floor(a / 1000) * 1000), iso(Math.floor(b / 1000) * 1000)] as const;
  };
  create.addEventListener('click', () => guarded(create, async () => {
    if (!title.value.trim()) throw new Error('Give the incident a title.');
    const [s, e] = times();
    const incident = await post<Incident>('/api/v1/metadata/incidents', {
      title: title.value.trim(), description: description.value.trim() || null, severity: severity.value,
      camera_ids: chosen(), start_time: s, end_time: e,
      tags: tags.value.split(',').map(t => t.trim()).filter(Boolean),
    });
    showMessage(`Incident “${incident.title}” was created.`, 'notice');
    location.hash = `#/incident/${incident.id}`;
  }));
  exportButton.addEventListener('click', () => guarded(exportButton, async () => {
    const [s, e] = times();
    const created = await post<Export>('/api/v1/storage/exports', { camera_ids: chosen(), start_time: s, end_time: e, format: 'mp4', reason: reason.value.trim() || null });
    showMessage('The export was requested; follow it on the Exports page.', 'notice');
    location.hash = `#/exports/${created.id}`;
  }));
  panel.replaceChildren(
    el('h2', {}, `Selected ${dateTime(from)} – ${clock(to)}`),
    el('div', { class: 'form-row' }, el('label', {}, 'From ', start), el('label', {}, 'To ', end),
      ...(cameras.length > 1 ? cameras.map((c, i) => el('label', {}, ticks[i], ` ${c.name}`)) : [])),
    el('div', { class: 'two-col' },
      el('fieldset', {}, el('legend', {}, 'New incident'), title, severity, description, tags, create),
      el('fieldset', {}, el('legend', {}, 'Export'), reason, exportButton)));
}
