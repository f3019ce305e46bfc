// Incidents: the list, one incident with editing, tags, notes on its footage, its clips kept as evidence, and its chain of
// custody with verification.

import { get, patch, post, query } from './api';
import { el, guarded, showMessage, errorText } from './dom';
import type { Incident, SearchResult, Timeline } from './types';
import { clock, dateTime, fromLocalInput, iso, ms, toLocalInput } from './time';
import { clipsPanel } from './clips';

export function incidentRow(incident: Incident, highlightTitle?: string, highlightDescription?: string): HTMLElement {
  const title = el('a', { href: `#/incident/${incident.id}`, class: 'result-title' });
  if (highlightTitle) title.innerHTML = highlightTitle; else title.textContent = incident.title;
  const description = el('div', { class: 'muted' });
  if (highlightDescription) description.innerHTML = highlightDescription; else description.textContent = incident.description ?? '';
  const camera = incident.camera_ids[0];
  return el('article', { class: 'result', 'data-incident-id': incident.id },
    el('div', {}, el('span', { class: `badge sev-${incident.severity.toLowerCase()}` }, incident.severity), ' ', title, ' ', el('span', { class: 'badge' }, incident.status)),
    description,
    el('div', { class: 'small-text' },
      `${dateTime(ms(incident.start_time))} – ${dateTime(ms(incident.end_time))} · `,
      camera ? el('a', { href: `#/camera/${camera}/at/${incident.start_time}`, 'data-testid': 'open-footage' }, 'Open footage') : null,
      (incident.tags ?? []).length ? ` · tags: ${(incident.tags ?? []).join(', ')}` : '',
      ` · by ${incident.created_by}`, incident.assigned_to ? ` · assigned to ${incident.assigned_to}` : ''));
}

export async function incidentsView(main: HTMLElement): Promise<() => void> {
  const list = el('div', { class: 'results' }, el('p', { class: 'muted' }, 'Loading incidents…'));
  main.replaceChildren(el('h1', {}, 'Incidents'), el('p', { class: 'muted' }, 'Create an incident by selecting a range on a camera’s timeline.'), list);
  try {
    const result = await get<SearchResult>(`/api/v1/metadata/incidents${query({ limit: 100 })}`);
    list.replaceChildren(...(result.items.length ? result.items.map(i => incidentRow((i as { incident?: Incident }).incident ?? (i as unknown as Incident))) : [el('p', { class: 'muted' }, 'No incidents yet.')]));
  } catch (error) {
    list.replaceChildren(el('p', { class: 'error' }, `The incidents could not be loaded. ${errorText(error)}`));
  }
  return () => {};
}

type CustodyEntryView = { sequence: number; action: string; actor: string; occurred_at: string; details: unknown; hash: string };
type Verification = { valid: boolean; entries: number; first_broken_sequence: number | null; reason: string | null };

export async function incidentView(main: HTMLElement, id: string): Promise<() => void> {
  main.replaceChildren(el('p', { class: 'muted' }, 'Loading incident…'));
  let incident: Incident;
  try {
    incident = await get<Incident>(`/api/v1/metadata/incidents/${id}`);
  } catch (error) {
    main.replaceChildren(el('p', { class: 'error' }, `This incident could not be opened. ${errorText(error)}`));
    return () => {};
  }
  const title = el('input', { value: incident.title, maxlength: 255, name: 'title' });
  const description = el('textarea', { rows: 3, name: 'description' }, incident.description ?? '');
  const severity = el('select', { name: 'severity' }, ...['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map(s => el('option', { value: s, selected: s === incident.severity }, s)));
  const status = el('select', { name: 'status' }, ...['OPEN', 'INVESTIGATING', 'CLOSED'].map(s => el('option', { value: s, selected: s === incident.status }, s)));
  const tags = el('input', { value: (incident.tags ?? []).join(', '), name: 'tags' });
  const assigned = el('input', { value: incident.assigned_to ?? '', name: 'assigned_to' });
  const save = el('button', { 'data-testid': 'save-incident' }, 'Save changes');
  save.addEventListener('click', () => guarded(save, async () => {
    incident = await patch<Incident>(`/api/v1/metadata/incidents/${id}`, {
      title: title.value.trim(), description: description.value.trim() || null, severity: severity.value, status: status.value,
      tags: tags.value.split(',').map(t => t.trim()).filter(Boolean), assigned_to: assigned.value.trim() || null,
    });
    showMessage('The incident was saved.', 'notice');
    await loadCustody();
  }));
  const custody = el('div', { class: 'custody' }, el('p', { class: 'muted' }, 'Loading the chain of custody…'));
  const verdict = el('span', { 'data-testid': 'custody-verdict' });
  const verify = el('button', { class: 'small' }, 'Verify the chain');
  verify.addEventListener('click', () => guarded(verify, async () => {
    const result = await get<Verification>(`/api/v1/metadata/incidents/${id}/custody/verify`);
    verdict.textContent = result.valid
      ? `The chain of ${result.entries} entries is intact.`
      : `The chain is broken at entry ${result.first_broken_sequence}: ${result.reason}`;
    verdict.className = result.valid ? 'ok' : 'error';
  }));
  const loadCustody = async () => {
    try {
      const page = await get<{ items: CustodyEntryView[] }>(`/api/v1/metadata/incidents/${id}/custody${query({ limit: 500 })}`);
      custody.replaceChildren(el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, 'When'), el('th', {}, 'Who'), el('th', {}, 'What'), el('th', {}, 'Details'), el('th', {}, 'Hash'))),
        el('tbody', {}, ...page.items.map(e => el('tr', {},
          el('td', {}, String(e.sequence)), el('td', {}, dateTime(ms(e.occurred_at))), el('td', {}, e.actor), el('td', {}, e.action),
          el('td', { class: 'details' }, describe(e.details)), el('td', { class: 'hash', title: e.hash }, e.hash.slice(0, 12)))))));
    } catch (error) {
      custody.replaceChildren(el('p', { class: 'error' }, `The chain of custody could not be loaded. ${errorText(error)}`));
    }
  };
  const camera = incident.camera_ids[0];
  const notes = annotationsPanel(incident, () => loadCustody());
  const clips = clipsPanel(incident, () => loadCustody());
  main.replaceChildren(
    el('h1', {}, incident.title),
    el('p', {}, `${dateTime(ms(incident.start_time))} – ${dateTime(ms(incident.end_time))} · created by ${incident.created_by} · `,
      incident.evidence_hold ? 'footage held as evidence · ' : '',
      camera ? el('a', { href: `#/camera/${camera}/at/${incident.start_time}` }, 'Open footage') : null),
    el('section', { class: 'panel form-grid' },
      el('label', {}, 'Title', title), el('label', {}, 'Severity', severity), el('label', {}, 'Status', status),
      el('label', {}, 'Assigned to', assigned), el('label', { class: 'wide' }, 'Description', description),
      el('label', { class: 'wide' }, 'Tags (comma separated)', tags), el('div', {}, save)),
    notes.element,
    clips.element,
    el('h2', {}, 'Chain of custody ', verify, ' ', verdict),
    custody);
  await Promise.all([loadCustody(), notes.load(), clips.load()]);
  return () => clips.stop();
}

type Annotation = { id: string; segment_id: string; camera_id: string; timestamp: string; type: string; content: string; user_id: string };

/** The notes on the incident's cameras inside its range, and a form to add one at an instant of the range. */
function annotationsPanel(incident: Incident, onAdded: () => Promise<void>): { element: HTMLElement; load: () => Promise<void> } {
  const list = el('ul', { class: 'notes', 'data-testid': 'annotations' });
  const at = el('input', { type: 'datetime-local', step: 1, name: 'note_at', value: toLocalInput(ms(incident.start_time)) });
  const camera = el('select', { name: 'note_camera' }, ...incident.camera_ids.map(id => el('option', { value: id }, id.slice(0, 8))));
  const type = el('select', { name: 'note_type' }, ...['note', 'event', 'bookmark', 'alarm'].map(t => el('option', { value: t }, t)));
  const content = el('input', { name: 'note_content', placeholder: 'What is seen at this instant', maxlength: 10_000, 'data-testid': 'incident-note' });
  const add = el('button', { type: 'submit', 'data-testid': 'add-incident-note' }, 'Add note');
  const form = el('form', { class: 'form-row' }, el('label', {}, 'At ', at), incident.camera_ids.length > 1 ? camera : null, type, content, add);
  const load = async () => {
    try {
      const pages = await Promise.all(incident.camera_ids.map(id => get<{ items: Annotation[] }>(
        `/api/v1/metadata/annotations${query({ camera_id: id, from: incident.start_time, to: incident.end_time, limit: 500 })}`)));
      const items = pages.flatMap(p => p.items).sort((a, b) => ms(a.timestamp) - ms(b.timestamp));
      list.replaceChildren(...(items.length
        ? items.map(a => el('li', {}, el('a', { href: `#/camera/${a.camera_id}/at/${a.timestamp}` }, clock(ms(a.timestamp))), ` ${a.type} · ${a.content} · ${a.user_id}`))
        : [el('li', { class: 'muted' }, 'No notes in this range yet.')]));
    } catch (error) {
      list.replaceChildren(el('li', { class: 'error' }, `The notes could not be loaded. ${errorText(error)}`));
    }
  };
  form.addEventListener('submit', event => {
    event.preventDefault();
    void guarded(add, async () => {
      if (!content.value.trim()) throw new Error('Write the note first.');
      const instant = fromLocalInput(at.value);
      if (!Number.isFinite(instant) || instant < ms(incident.start_time) || instant >= ms(incident.end_time)) {
        throw new Error('Choose an instant inside the incident’s range.');
      }
      const cameraId = camera.value || incident.camera_ids[0];
      const timeline = await get<Timeline>(
        `/api/v1/playback/${cameraId}/segments${query({ from: iso(instant), to: iso(instant + 1000) })}`);
      const segment = timeline.segments.find(s => ms(s.start_time) <= instant && instant < ms(s.end_time));
      if (!segment) throw new Error(`Nothing is recorded at ${clock(instant)} on this camera, so a note cannot be attached there.`);
      await post('/api/v1/metadata/annotations', { segment_id: segment.id, timestamp_offset: Math.round(instant - ms(segment.start_time)), type: type.value, content: content.value.trim() });
      content.value = '';
      showMessage('The note was added.', 'notice');
      await Promise.all([load(), onAdded()]);
    });
  });
  return { element: el('section', { class: 'panel' }, el('h2', {}, 'Notes on the footage'), list, form), load };
}

/** A custody entry's details as lines a person reads: "status: OPEN → INVESTIGATING", "tags: a, b". */
function describe(details: unknown): string {
  if (details === null || typeof details !== 'object') return details === undefined || details === null ? '' : String(details);
  const value = (v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (Array.isArray(v)) return v.length ? v.map(value).join(', ') : '—';
    if (typeof v === 'object') {
      const change = v as { from?: unknown; to?: unknown };
      return 'from' in change && 'to' in change ? `${value(change.from)} → ${value(change.to)}` : JSON.stringify(v);
    }
    return String(v);
  };
  const entries = Object.entries(details as Record<string, unknown>);
  if (entries.length === 2 && 'from' in details && 'to' in details) return value(details);
  return entries.map(([key, v]) => `${key.replaceAll('_', ' ')}: ${value(v)}`).join('\n');
}
