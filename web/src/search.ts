// Full-text search over incidents with filters; each result opens the footage at the incident's start.

import { get, query } from './api';
import { el, errorText } from './dom';
import { incidentRow } from './incidents';
import type { SearchResult } from './types';
import { fromLocalInput, iso } from './time';

export async function searchView(main: HTMLElement, initial: string): Promise<() => void> {
  const text = el('input', { type: 'search', name: 'q', placeholder: 'Words, "a phrase", -exclude', value: initial, 'data-testid': 'search-text' });
  const severity = el('select', { name: 'severity' }, el('option', { value: '' }, 'Any severity'), ...['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map(s => el('option', { value: s }, s)));
  const status = el('select', { name: 'status' }, el('option', { value: '' }, 'Any status'), ...['OPEN', 'INVESTIGATING', 'CLOSED'].map(s => el('option', { value: s }, s)));
  const tag = el('input', { name: 'tag', placeholder: 'Tag' });
  const from = el('input', { type: 'datetime-local', name: 'from', step: 1 });
  const to = el('input', { type: 'datetime-local', name: 'to', step: 1 });
  const results = el('div', { class: 'results', 'data-testid': 'search-results' });
  const form = el('form', { class: 'form-row search-form' }, text, severity, status, tag, el('label', {}, 'From ', from), el('label', {}, 'To ', to), el('button', { type: 'submit' }, 'Search'));
  const run = async () => {
    results.replaceChildren(el('p', { class: 'muted' }, 'Searching…'));
    try {
      const result = await get<SearchResult>(`/api/v1/metadata/search${query({
        q: text.value.trim(), severity: severity.value, status: status.value, tag: tag.value.trim(),
        from: from.value ? iso(fromLocalInput(from.value)) : undefined, to: to.value ? iso(fromLocalInput(to.value)) : undefined, limit: 50,
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
