// Exports: recent requests with their progress, followed until done, and a download link once ready (a signed evidence zip).

import { get } from './api';
import { el, errorText } from './dom';
import type { Export } from './types';
import { dateTime, ms } from './time';

const statusText: Record<string, string> = {
  PENDING: 'Waiting to start', PROCESSING: 'Being prepared', COMPLETED: 'Ready', FAILED: 'Failed', EXPIRED: 'Expired',
};

export async function exportsView(main: HTMLElement, highlight: string | null): Promise<() => void> {
  const list = el('div', { class: 'results', 'data-testid': 'exports' }, el('p', { class: 'muted' }, 'Loading exports…'));
  main.replaceChildren(el('h1', {}, 'Exports'), el('p', { class: 'muted' }, 'Request an export by selecting a range on a camera’s timeline.'), list);
  let timer: number | undefined;
  let stopped = false;
  const startedAt = Date.now();
  const refresh = async () => {
    try {
      const body = await get<Export[] | { items: Export[] }>('/api/v1/storage/exports?limit=50');
      const items = Array.isArray(body) ? body : body.items;
      list.replaceChildren(...(items.length ? items.map(e => row(e, e.id === highlight)) : [el('p', { class: 'muted' }, 'No exports yet.')]));
      const busy = items.some(e => e.status === 'PENDING' || e.status === 'PROCESSING');
      // Follows progress while something is under way, for at most an hour: nothing polls forever.
      if (busy && !stopped && Date.now() - startedAt < 3_600_000) timer = window.setTimeout(refresh, 1500);
    } catch (error) {
      list.replaceChildren(el('p', { class: 'error' }, `The exports could not be loaded. ${errorText(error)}`));
    }
  };
  await refresh();
  return () => { stopped = true; window.clearTimeout(timer); };
}

function row(item: Export, highlighted: boolean): HTMLElement {
  const size = item.file_size ? ` · ${(item.file_size / 1_048_576).toFixed(1)} MB` : '';
  return el('article', { class: `result${highlighted ? ' highlighted' : ''}`, 'data-export-id': item.id, 'data-status': item.status },
    el('div', {}, el('span', { class: `badge export-${item.status.toLowerCase()}` }, statusText[item.status] ?? item.status), ' ',
      `${dateTime(ms(item.start_time))} – ${dateTime(ms(item.end_time))} · ${item.camera_ids.length} camera(s)${size}`),
    item.reason ? el('div', { class: 'muted' }, item.reason) : null,
    item.error ? el('div', { class: 'error' }, `The export failed: ${item.error}`) : null,
    item.status === 'COMPLETED' && item.download_url
      ? el('a', { href: item.download_url, download: '', class: 'button', 'data-testid': 'download', title: 'A zip: the MP4 of each camera, the signed manifest and a README that says how to verify it' }, 'Download evidence (zip)')
      : null,
    item.checksum ? el('div', { class: 'small-text hash' }, `SHA-256 ${item.checksum}`) : null);
}
