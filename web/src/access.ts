// Who watched what (administrators): every playback, download, export and clip of a camera's footage, by the range of
// footage it touched, newest first. A viewing is one line however many times its player refreshed the playlist.

import { get, query } from './api';
import { el, errorText, guarded } from './dom';
import type { AccessEntry, Camera } from './types';
import { dateTime, fromLocalInput, iso, ms, toLocalInput } from './time';

const accessText: Record<string, string> = {
  playback: 'Played', download: 'Downloaded (MP4)', segment_download: 'Downloaded a stored segment', export: 'Exported', export_download: 'Downloaded an export',
  clip: 'Saved as a clip', clip_download: 'Downloaded a clip',
};

export async function accessView(main: HTMLElement, cameraId: string | null): Promise<() => void> {
  const cameras = await get<Camera[]>('/api/v1/cameras').catch(() => [] as Camera[]);
  const names = new Map(cameras.map(c => [c.id, c.name]));
  const camera = el('select', { name: 'access_camera', 'data-testid': 'access-camera' },
    el('option', { value: '' }, 'Every camera'),
    ...cameras.map(c => el('option', { value: c.id, selected: c.id === cameraId }, c.name)));
  if (cameraId && !names.has(cameraId)) camera.append(el('option', { value: cameraId, selected: true }, cameraId));
  const now = Date.now();
  const from = el('input', { type: 'datetime-local', step: 1, name: 'access_from', value: toLocalInput(now - 86_400_000) });
  const to = el('input', { type: 'datetime-local', step: 1, name: 'access_to', value: toLocalInput(now + 60_000) });
  const actor = el('input', { name: 'access_actor', placeholder: 'Anyone' });
  const show = el('button', { type: 'submit', 'data-testid': 'show-access' }, 'Show');
  const list = el('div', { 'data-testid': 'access-entries' });
  const form = el('form', { class: 'form-row' }, el('label', {}, 'Camera ', camera), el('label', {}, 'Footage from ', from), el('label', {}, 'to ', to),
    el('label', {}, 'Who ', actor), show);

  const load = async () => {
    const start = fromLocalInput(from.value);
    const end = fromLocalInput(to.value);
    const entries = await get<AccessEntry[]>(`/api/v1/audit/access${query({
      camera_id: camera.value, from: Number.isFinite(start) ? iso(start) : undefined, to: Number.isFinite(end) ? iso(end) : undefined,
      actor: actor.value.trim(), limit: 500,
    })}`);
    list.replaceChildren(entries.length
      ? el('table', { class: 'custody' },
        el('thead', {}, el('tr', {}, el('th', {}, 'When'), el('th', {}, 'Who'), el('th', {}, 'What'), el('th', {}, 'Camera'), el('th', {}, 'Footage'), el('th', {}, 'Requests'))),
        el('tbody', {}, ...entries.map(e => el('tr', { 'data-access': e.access },
          el('td', {}, dateTime(ms(e.occurred_at)), e.last_at !== e.occurred_at ? ` – ${dateTime(ms(e.last_at))}` : ''),
          el('td', {}, e.actor, e.role ? ` (${e.role})` : ''),
          el('td', {}, accessText[e.access] ?? e.access),
          el('td', {}, el('a', { href: `#/camera/${e.camera_id}/at/${e.from}` }, names.get(e.camera_id) ?? e.camera_id.slice(0, 8))),
          el('td', {}, `${dateTime(ms(e.from))} – ${dateTime(ms(e.to))}`),
          el('td', {}, String(e.requests))))))
      : el('p', { class: 'muted' }, 'Nobody accessed footage of this camera in this range.'));
  };
  form.addEventListener('submit', event => { event.preventDefault(); void guarded(show, load); });

  main.replaceChildren(el('h1', {}, 'Who watched what'),
    el('p', { class: 'muted' }, 'Every playback, download, export and clip, with the person, the camera and the range of footage. '
      + 'A viewing is one line: a live player refreshing its playlist, or seeking inside its range, adds to it.'),
    el('section', { class: 'panel' }, form), list);
  try {
    await load();
  } catch (error) {
    list.replaceChildren(el('p', { class: 'error' }, `The audit log could not be loaded. ${errorText(error)}`));
  }
  return () => {};
}
