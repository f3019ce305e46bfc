// One search over everything people wrote about the footage: incidents, notes on the timeline, tags and the segments
// they mark, with filters (kinds, time, cameras, source, tags, severity, status, people). Each hit opens the footage
// at its instant on the camera's timeline; a tag opens the footage it marks.

import { get, query } from './api';
import { el, errorText } from './dom';
import type { Camera, SearchHit, SearchHits } from './types';
import { dateTime, fromLocalInput, iso, ms } from './time';

const list = (text: string) => text.split(',').map(t => t.trim()).filter(Boolean);

const kinds = [
  { value: 'incident', label: 'Incidents' },
  { value: 'annotation', label: 'Notes' },
  { value: 'segment', label: 'Footage (by its tags and notes)' },
  { value: 'tag', label: 'Tags' },
] as const;

const kindLabel: Record<SearchHit['kind'], string> = { incident: 'Incident', annotation: 'Note', segment: 'Footage', tag: 'Tag' };

function snippet(hit: SearchHit): HTMLElement {
  const text = el('div', { class: 'muted snippet' });
  // the server escapes the text and adds only <mark> (docs/metadata.md): safe to show as HTML
  text.innerHTML = hit.snippet ?? '';
  return text;
}

function hitRow(hit: SearchHit, cameraName: (id: string) => string, showTag: (name: string) => void): HTMLElement {
  const title = hit.kind === 'incident'
    ? el('a', { href: `#/incident/${hit.id}`, class: 'result-title' }, hit.title ?? '')
    : el('span', { class: 'result-title' }, hit.kind === 'annotation' ? (hit.title === 'note' ? '' : hit.title ?? '') : hit.title ?? '');
  const open = hit.kind === 'tag'
    ? el('a', { href: '#/search', 'data-testid': 'open-footage' }, 'Show its footage')
    : hit.camera_id && hit.open_at
      ? el('a', { href: `#/camera/${hit.camera_id}/at/${hit.open_at}`, 'data-testid': 'open-footage' }, 'Open footage')
      : null;
  if (hit.kind === 'tag' && open) open.addEventListener('click', event => { event.preventDefault(); showTag(hit.title ?? ''); });
  const when = hit.start_time
    ? `${dateTime(ms(hit.start_time))}${hit.end_time ? ` – ${dateTime(ms(hit.end_time))}` : ''}`
    : hit.category ? `category ${hit.category}` : '';
  const row = el('article', { class: `result result-${hit.kind}`, 'data-kind': hit.kind, 'data-hit-id': hit.id },
    el('div', {},
      el('span', { class: 'badge' }, kindLabel[hit.kind]), ' ',
      hit.severity ? el('span', { class: `badge sev-${hit.severity.toLowerCase()}` }, hit.severity) : null, hit.severity ? ' ' : null,
      title, ' ', hit.status ? el('span', { class: 'badge' }, hit.status) : null),
    snippet(hit),
    el('div', { class: 'small-text' },
      when, hit.camera_ids.length ? ` · ${hit.camera_ids.map(cameraName).join(', ')}` : '', when || hit.camera_ids.length ? ' · ' : '', open,
      hit.kind === 'segment' && hit.tags?.length ? ` · tags: ${hit.tags.join(', ')}` : '',
      hit.user ? ` · by ${hit.user}` : ''));
  if (hit.kind === 'incident') row.dataset.incidentId = hit.id;
  return row;
}

export async function searchView(main: HTMLElement, initial: string): Promise<() => void> {
  const text = el('input', { type: 'search', name: 'q', placeholder: 'Words, "a phrase", K-71, pref*, -exclude', value: initial, 'data-testid': 'search-text' });
  const severity = el('select', { name: 'severity' }, el('option', { value: '' }, 'Any severity'), ...['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map(s => el('option', { value: s }, s)));
  const status = el('select', { name: 'status' }, el('option', { value: '' }, 'Any status'), ...['OPEN', 'INVESTIGATING', 'CLOSED'].map(s => el('option', { value: s }, s)));
  const tags = el('input', { name: 'tags', placeholder: 'Tags (all of them, comma separated)' });
  const source = el('input', { name: 'source', placeholder: 'Source', size: 10 });
  const createdBy = el('input', { name: 'created_by', placeholder: 'Created by', size: 12 });
  const assignedTo = el('input', { name: 'assigned_to', placeholder: 'Assigned to', size: 12 });
  const from = el('input', { type: 'datetime-local', name: 'from', step: 1 });
  const to = el('input', { type: 'datetime-local', name: 'to', step: 1 });
  const kindFilter = el('fieldset', { class: 'kind-filter', 'data-testid': 'kind-filter' }, el('legend', {}, 'Find (none ticked: everything)'),
    ...kinds.map(k => el('label', {}, el('input', { type: 'checkbox', name: 'kind', value: k.value }), ` ${k.label}`)));
  const cameras = el('fieldset', { class: 'camera-filter', 'data-testid': 'camera-filter' }, el('legend', {}, 'Cameras (none ticked: all)'));
  const results = el('div', { class: 'results', 'data-testid': 'search-results' });
  const more = el('button', { type: 'button', 'data-testid': 'search-more' }, 'More results');
  const moreRow = el('div', { class: 'form-row' });
  const form = el('form', { class: 'search-form' },
    el('div', { class: 'form-row' }, text, severity, status, tags, el('button', { type: 'submit' }, 'Search')),
    el('div', { class: 'form-row' }, source, createdBy, assignedTo, el('label', {}, 'From ', from), el('label', {}, 'To ', to)),
    kindFilter, cameras);
  const names = new Map<string, string>();
  void get<Camera[] | { items: Camera[] }>('/api/v1/cameras').then(body => {
    const items = Array.isArray(body) ? body : body.items;
    items.forEach(c => names.set(c.id, c.name));
    cameras.append(...items.map(c => el('label', {}, el('input', { type: 'checkbox', name: 'camera_id', value: c.id }), ` ${c.name}`)));
  }).catch(error => cameras.append(el('span', { class: 'error' }, `The cameras could not be listed. ${errorText(error)}`)));
  const cameraName = (id: string) => names.get(id) ?? id.slice(0, 8);
  const ticked = (set: HTMLElement) => [...set.querySelectorAll<HTMLInputElement>('input:checked')].map(i => i.value);
  let next: number | null = null;
  const showTag = (name: string) => {
    kindFilter.querySelectorAll<HTMLInputElement>('input').forEach(i => { i.checked = i.value === 'segment'; });
    text.value = '';
    tags.value = name;
    void run(0);
  };
  const run = async (offset: number) => {
    if (offset === 0) results.replaceChildren(el('p', { class: 'muted' }, 'Searching…'));
    moreRow.replaceChildren();
    try {
      const fromMs = from.value ? fromLocalInput(from.value) : null;
      const toMs = to.value ? fromLocalInput(to.value) : null;
      if (fromMs !== null && toMs !== null && toMs <= fromMs) throw new Error('The end of the time filter must be after its start.');
      const result = await get<SearchHits>(`/api/v1/metadata/search${query({
        q: text.value.trim(), kind: ticked(kindFilter), severity: severity.value, status: status.value, tag: list(tags.value),
        camera_id: ticked(cameras), source: source.value.trim(), created_by: createdBy.value.trim(), assigned_to: assignedTo.value.trim(),
        from: fromMs === null ? undefined : iso(fromMs), to: toMs === null ? undefined : iso(toMs), limit: 50, offset: offset || undefined,
      })}`);
      const rows = result.items.map(hit => hitRow(hit, cameraName, showTag));
      if (offset === 0) results.replaceChildren(...(rows.length ? rows : [el('p', { class: 'muted' }, 'Nothing matches.')]));
      else results.append(...rows);
      next = result.next_offset;
      if (next !== null) moreRow.replaceChildren(more);
    } catch (error) {
      results.replaceChildren(el('p', { class: 'error' }, `The search failed. ${errorText(error)}`));
    }
  };
  form.addEventListener('submit', event => { event.preventDefault(); void run(0); });
  more.addEventListener('click', () => { if (next !== null) void run(next); });
  main.replaceChildren(el('h1', {}, 'Search'), form, results, moreRow);
  if (initial) await run(0);
  return () => {};
}
