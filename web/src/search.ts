// Full-text search over incidents with filters (time, cameras, source, tags, severity, status, people);
// each result opens the footage at the incident's start.

import { get, query } from './api';
import { el, errorText } from './dom';
import { incidentRow } from './incidents';
import type { Camera, SearchResult } from './types';
import { fromLocalInput, iso } from './time';

const list = (text: string) => text.split(',').map(t => t.trim()).filter(Boolean);

export async function searchView(main: HTMLElement, initial: string): Promise<() => void> {
  const text = el('input', { type: 'search', name: 'q', placeholder: 'Words, "a phrase", -exclude', value: initial, 'data-testid': 'search-text' });
  const severity = el('select', { name: 'severity' }, el('option', { value: '' }, 'Any severity'), ...['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map(s => el('option', { value: s }, s)));
  const status = el('select', { name: 'status' }, el('option', { value: '' }, 'Any status'), ...['OPEN', 'INVESTIGATING', 'CLOSED'].map(s => el('option', { value: s }, s)));
  const tags = el('input', { name: 'tags', placeholder: 'Tags (all of them, comma separated)' });
  const source = el('input', { name: 'source', placeholder: 'Source', size: 10 });
  const createdBy = el('input', { name: 'created_by', placeholder: 'Created by', size: 12 });
  const assignedTo = el('input', { name: 'assigned_to', placeholder: 'Assigned to', size: 12 });
  const from = el('input', { type: 'datetime-local', name: 'from', step: 1 });
  const to = el('input', { type: 'datetime-local', name: 'to', step: 1 });
  const cameras = el('fieldset', { class: 'camera-filter', 'data-testid': 'camera-filter' }, el('legend', {}, 'Cameras (none ticked: all)'));
  const results = el('div', { class: 'results', 'data-testid': 'search-results' });
  const form = el('form', { class: 'search-form' },
    el('div', { class: 'form-row' }, text, severity, status, tags, el('button', { type: 'submit' }, 'Search')),
    el('div', { class: 'form-row' }, source, createdBy, assignedTo, el('label', {}, 'From ', from), el('label', {}, 'To ', to)),
    cameras);
  void get<Camera[] | { items: Camera[] }>('/api/v1/cameras').then(body => {
    const items = Array.isArray(body) ? body : body.items;
    cameras.append(...items.map(c => el('label', {}, el('input', { type: 'checkbox', name: 'camera_id', value: c.id }), ` ${c.name}`)));
  }).catch(error => cameras.append(el('span', { class: 'error' }, `The cameras could not be listed. ${errorText(error)}`)));
  const run = async () => {
    results.replaceChildren(el('p', { class: 'muted' }, 'Searching…'));
    try {
      const fromMs = from.value ? fromLocalInput(from.value) : null;
      const toMs = to.value ? fromLocalInput(to.value) : null;
      if (fromMs !== null && toMs !== null && toMs <= fromMs) throw new Error('The end of the time filter must be after its start.');
      const result = await get<SearchResult>(`/api/v1/metadata/search${query({
        q: text.value.trim(), severity: severity.value, status: status.value, tag: list(tags.value),
        camera_id: [...cameras.querySelectorAll<HTMLInputElement>('input:checked')].map(i => i.value),
        source: source.value.trim(), created_by: createdBy.value.trim(), assigned_to: assignedTo.value.trim(),
        from: fromMs === null ? undefined : iso(fromMs), to: toMs === null ? undefined : iso(toMs), limit: 50,
      })}`);
      results.replaceChildren(...(result.items.length
        ? result.items.map(i => incidentRow(i.incident, i.highlights?.title, i.highlights?.description))
        : [el('p', { class: 'muted' }, 'No incident matches.')]));
    } catch (error) {
      results.replaceChildren(el('p', { class: 'error' }, `The search failed. ${errorText(error)}`));
    }
  };
  form.addEventListener('submit', event => { event.preventDefault(); void run(); });
  main.replaceChildren(el('h1', {}, 'Search incidents'), form, results);
  if (initial) await run();
  return () => {};
}
