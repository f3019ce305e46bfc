// The camera grid: each camera's recording state, the recorder that holds it, last segment time and latest still; start and
// stop for operators. The status is the fleet's (any recorder answers for all of them), so Start is offered only for a camera
// nobody is asked to record, whichever recorder holds it. A city has hundreds of cameras: the grid shows a page of them,
// found by name, state and group.

import { get, post, query } from './api';
import { el, guarded, showMessage, errorText } from './dom';
import { canOperate } from './session';
import type { Camera, CameraGroup, CameraPage, RecordingStatus, Timeline } from './types';
import { ago, dateTime, iso, ms } from './time';

export const stateText: Record<string, string> = {
  RECORDING: 'Recording', STARTING: 'Starting', RECONNECTING: 'Reconnecting', FAILED: 'Failed',
  WAITING_FOR_QUOTA: 'Over quota', STOPPED: 'Stopped', MILESTONE: 'Recorded by Milestone', WAITING_FOR_RECORDER: 'Waiting for a recorder',
};

const pageSize = 24;

const statusChoices: [string, string][] = [
  ['', 'Any state'], ['recording', 'Recording'], ['failing', 'Failing'], ['stopped', 'Stopped'], ['milestone', 'Recorded by Milestone'],
];

export async function camerasView(main: HTMLElement): Promise<() => void> {
  const grid = el('div', { class: 'grid', 'data-testid': 'camera-grid' }, el('p', { class: 'muted' }, 'Loading cameras…'));
  const text = el('input', { type: 'search', name: 'camera_filter', placeholder: 'Find a camera', 'aria-label': 'Find a camera', 'data-testid': 'camera-filter' });
  const status = el('select', { name: 'camera_status', 'aria-label': 'State', 'data-testid': 'status-filter' },
    ...statusChoices.map(([value, label]) => el('option', { value }, label)));
  const group = el('select', { name: 'camera_group', 'aria-label': 'Group', 'data-testid': 'group-filter' }, el('option', { value: '' }, 'Every group'));
  const previous = el('button', { class: 'small', type: 'button', 'data-testid': 'previous-page' }, 'Previous');
  const next = el('button', { class: 'small', type: 'button', 'data-testid': 'next-page' }, 'Next');
  const position = el('span', { class: 'muted', 'data-testid': 'camera-page' });
  main.replaceChildren(el('h1', {}, 'Cameras'),
    el('div', { class: 'camera-filters' }, text, status, group, el('span', { class: 'pager' }, previous, position, next)), grid);
  void get<CameraGroup[]>('/api/v1/camera-groups').then(groups =>
    group.append(...groups.map(g => el('option', { value: g.id }, `${g.name} (${g.camera_ids.length})`)))).catch(() => undefined);

  let offset = 0;
  let total = 0;
  const render = async () => {
    try {
      const [page, recording] = await Promise.all([
        get<CameraPage | Camera[]>(`/api/v1/cameras${query({ q: text.value.trim(), status: status.value, group: group.value, offset, limit: pageSize })}`),
        get<{ cameras: RecordingStatus[] } | RecordingStatus[]>('/api/v1/recording/status'),
      ]);
      const list = Array.isArray(page) ? page : page.items;
      total = Array.isArray(page) ? page.length : page.total;
      const states = Array.isArray(recording) ? recording : recording.cameras;
      position.textContent = total ? `${offset + 1}–${offset + list.length} of ${total}` : '';
      previous.disabled = offset === 0;
      next.disabled = offset + list.length >= total;
      if (!list.length) {
        const filtered = text.value.trim() || status.value || group.value;
        grid.replaceChildren(el('p', { class: 'muted' }, filtered
          ? 'No camera matches these filters.'
          : 'No cameras are configured yet. An administrator adds them through the API.'));
        return;
      }
      grid.replaceChildren(...list.map(camera => card(camera, states.find(s => s.camera_id === camera.id), render)));
    } catch (error) {
      grid.replaceChildren(el('p', { class: 'error' }, `The cameras could not be loaded. ${errorText(error)}`));
    }
  };
  const refilter = () => { offset = 0; void render(); };
  let typing: number | undefined;
  text.addEventListener('input', () => { window.clearTimeout(typing); typing = window.setTimeout(refilter, 250); });
  status.addEventListener('change', refilter);
  group.addEventListener('change', refilter);
  previous.addEventListener('click', () => { offset = Math.max(0, offset - pageSize); void render(); });
  next.addEventListener('click', () => { if (offset + pageSize < total) { offset += pageSize; void render(); } });
  await render();
  const timer = window.setInterval(render, 10_000);
  return () => { window.clearInterval(timer); window.clearTimeout(typing); };
}

function card(camera: Camera, status: RecordingStatus | undefined, refresh: () => Promise<void>): HTMLElement {
  const state = status?.state ?? 'STOPPED';
  // asked to stop, its holder not done yet (it stops within a second or so)
  const stopping = status && !status.should_record && state !== 'STOPPED' && state !== 'MILESTONE';
  const still = el('div', { class: 'still' }, el('span', { class: 'muted' }, 'No still yet'));
  const lastText = el('div', { class: 'muted', 'data-testid': 'last-segment' });
  // The recorder knows what it stored last; for footage it did not record (imported, another recorder) the catalog does.
  const showLast = (at: number | null) => { lastText.textContent = at ? `Last segment ${ago(at)} (${dateTime(at)})` : 'No segment yet'; };
  showLast(status?.last_segment_end ? ms(status.last_segment_end) : null);
  void latestFootage(camera.id).then(({ still: url, lastEnd }) => {
    if (url) still.replaceChildren(el('img', { src: url, alt: `Latest still of ${camera.name}` }));
    if (!status?.last_segment_end && lastEnd) showLast(lastEnd);
  });
  const start = el('button', { class: 'small', 'data-testid': 'start-recording' }, 'Start recording');
  const stop = el('button', { class: 'small', 'data-testid': 'stop-recording' }, 'Stop recording');
  start.addEventListener('click', () => guarded(start, async () => { await post(`/api/v1/recording/start/${camera.id}`); showMessage(`Recording of ${camera.name} is starting.`, 'notice'); await refresh(); }));
  stop.addEventListener('click', () => guarded(stop, async () => { await post(`/api/v1/recording/stop/${camera.id}`); showMessage(`Recording of ${camera.name} stopped.`, 'notice'); await refresh(); }));
  return el('article', { class: 'card', 'data-camera-id': camera.id },
    el('a', { href: `#/camera/${camera.id}`, class: 'card-link' }, still, el('h2', {}, camera.name)),
    el('div', { class: `state state-${state.toLowerCase()}`, 'data-testid': 'camera-state' }, stopping ? 'Stopping' : stateText[state] ?? state),
    status?.recorder_id ? el('div', { class: 'muted small-text', 'data-testid': 'camera-recorder' }, `On recorder ${status.recorder_id}`) : null,
    lastText,
    status?.last_error ? el('div', { class: 'error small-text' }, status.last_error) : null,
    // Starting and stopping is an operator's right: a viewer sees the state only. Milestone records its cameras, not us.
    canOperate() && state !== 'MILESTONE' ? el('div', { class: 'actions' }, status?.should_record ? stop : start) : null);
}

/** The camera's latest still and the end of its latest stored segment, from the catalog's last day. */
async function latestFootage(cameraId: string): Promise<{ still: string | null; lastEnd: number | null }> {
  const now = Date.now();
  try {
    const timeline = await get<Timeline>(`/api/v1/playback/${cameraId}/segments?from=${encodeURIComponent(iso(now - 86_400_000))}&to=${encodeURIComponent(iso(now + 60_000))}`);
    const ends = timeline.segments.map(segment => ms(segment.end_time));
    return { still: timeline.thumbnails.at(-1)?.url ?? null, lastEnd: ends.length ? Math.max(...ends) : null };
  } catch {
    return { still: null, lastEnd: null };
  }
}
