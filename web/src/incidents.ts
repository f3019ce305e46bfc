// Incidents: the list, one incident with editing, tags, notes on its footage, and its chain of custody with verification.

import { get, patch, query } from './api';
import { el, guarded, showMessage, errorText } from './dom';
import type { Incident, SearchResult } from './types';
import { dateTime, ms } from './time';

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
      (incident.tags ?? []).length ? ` · tags: ${(incident.tags ?? []).join(', ')}` : ''));
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
  const save = el('button', {}, 'Save changes');
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
          el('td', { class: 'details' }, JSON.stringify(e.details)), el('td', { class: 'hash', title: e.hash }, e.hash.slice(0, 12)))))));
    } catch (error) {
      custody.replaceChildren(el('p', { class: 'error' }, `The chain of custody could not be loaded. ${errorText(error)}`));
    }
  };
  const camera = incident.camera_ids[0];
  main.replaceChildren(
    el('h1', {}, incident.title),
    el('p', {}, `${dateTime(ms(incident.start_time))} – ${dateTime(ms(incident.end_time))} · created by ${incident.created_by} · `,
      incident.evidence_hold ? 'footage held as evidence · ' : '',
      camera ? el('a', { href: `#/camera/${camera}/at/${incident.start_time}` }, 'Open footage') : null),
    el('section', { class: 'panel form-grid' },
      el('label', {}, 'Title', title), el('label', {}, 'Severity', severity), el('label', {}, 'Status', status),
      el('label', {}, 'Assigned to', assigned), el('label', { class: 'wide' }, 'Description', description),
      el('label', { class: 'wide' }, 'Tags (comma separated)', tags), el('div', {}, save)),
    el('h2', {}, 'Chain of custody ', verify, ' ', verdict),
    custody);
  await loadCustody();
  return () => {};
}
