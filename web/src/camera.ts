// One camera: the player, its timeline, keyboard shortcuts, and what can be done with a selected range
// (an incident, an export) or the playing instant (an annotation).

import { get, post } from './api';
import { el, guarded, showMessage, errorText } from './dom';
import { Player } from './player';
import { TimelineView } from './timeline';
import type { Camera, Incident, Export } from './types';
import { clock, dateTime, fromLocalInput, iso, ms, toLocalInput } from './time';

export async function cameraView(main: HTMLElement, cameraId: string, atMs: number | null): Promise<() => void> {
  main.replaceChildren(el('p', { class: 'muted' }, 'Loading camera…'));
  let camera: Camera;
  try {
    camera = await get<Camera>(`/api/v1/cameras/${cameraId}`);
  } catch (error) {
    main.replaceChildren(el('p', { class: 'error' }, `This camera could not be opened. ${errorText(error)}`));
    return () => {};
  }

  const player = new Player(cameraId);
  const rangePanel = el('section', { class: 'panel', 'data-testid': 'range-panel' }, el('p', { class: 'muted' }, 'Drag across the timeline to select a range for an incident or an export.'));
  const timeline = new TimelineView(cameraId, {
    onSeek: instant => player.playFrom(instant),
    onSelect: (from, to) => showRange(rangePanel, camera, from, to),
  });
  player.onInstant = instant => { timeline.setPlayhead(instant); timeline.follow(instant); };

  const liveButton = el('button', { 'data-testid': 'live-edge', title: 'Play the latest footage (L)' }, 'Live edge');
  liveButton.addEventListener('click', () => { timeline.showLast(300_000); player.playLive(); });
  const noteText = el('input', { name: 'note', placeholder: 'A note at the playing instant', maxlength: 2000, 'data-testid': 'note-text' });
  const noteButton = el('button', { title: 'Add a note at the playing instant', 'data-testid': 'add-note' }, 'Add note here');
  const noteForm = el('form', { class: 'note-form' }, noteText, noteButton);
  noteForm.addEventListener('submit', event => {
    event.preventDefault();
    void guarded(noteButton, async () => { await addNote(player, timeline, noteText.value.trim()); noteText.value = ''; });
  });

  main.replaceChildren(
    el('div', { class: 'camera-head' },
      el('h1', {}, camera.name),
      el('span', { class: 'muted' }, camera.source),
      el('span', { class: 'spacer' }),
      noteForm, liveButton),
    el('div', { class: 'camera-body' }, player.element, shortcutsHelp()),
    timeline.element,
    rangePanel);

  const onKey = (event: KeyboardEvent) => {
    if ((event.target as HTMLElement).closest('input, textarea, select')) return;
    const keys: Record<string, () => void> = {
      ' ': () => player.togglePlay(),
      ',': () => player.step(-1), '.': () => player.step(1),
      ArrowLeft: () => player.jump(-10), ArrowRight: () => player.jump(10),
      '[': () => player.changeSpeed(-1), ']': () => player.changeSpeed(1),
      '-': () => player.changeSpeed(-1), '+': () => player.changeSpeed(1),
      l: () => liveButton.click(),
    };
    const action = keys[event.key];
    if (action) { event.preventDefault(); action(); }
  };
  document.addEventListener('keydown', onKey);
  if (atMs !== null) {
    timeline.centreOn(atMs, 600_000);
    player.playFrom(atMs);
  }
  return () => { document.removeEventListener('keydown', onKey); player.destroy(); };
}

function shortcutsHelp(): HTMLElement {
  const rows: [string, string][] = [['Space', 'play / pause'], [', .', 'one frame back / forward'], ['← →', '10 s back / forward'], ['[ ]', 'slower / faster (0.5x to 16x)'], ['L', 'live edge'], ['Wheel', 'zoom the timeline'], ['Drag', 'select a range'], ['Alt+drag', 'move the timeline']];
  return el('aside', { class: 'help' }, el('h3', {}, 'Keys'), el('dl', {}, ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
}

async function addNote(player: Player, timeline: TimelineView, content: string): Promise<void> {
  if (!content) throw new Error('Write the note first.');
  const at = player.playingMs;
  if (at === null) throw new Error('Play the footage first: a note is added at the playing instant.');
  const segment = timeline.segments.find(s => ms(s.start_time) <= at && at < ms(s.end_time));
  if (!segment) throw new Error('No stored segment holds the playing instant yet; a note can be added once it is stored.');
  await post('/api/v1/metadata/annotations', { segment_id: segment.id, timestamp_offset: Math.round(at - ms(segment.start_time)), type: 'note', content });
  showMessage(`The note was added at ${clock(at)}.`, 'notice');
  timeline.refresh();
}

function showRange(panel: HTMLElement, camera: Camera, from: number, to: number): void {
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
      camera_ids: [camera.id], start_time: s, end_time: e,
      tags: tags.value.split(',').map(t => t.trim()).filter(Boolean),
    });
    showMessage(`Incident “${incident.title}” was created.`, 'notice');
    location.hash = `#/incident/${incident.id}`;
  }));
  exportButton.addEventListener('click', () => guarded(exportButton, async () => {
    const [s, e] = times();
    const created = await post<Export>('/api/v1/storage/exports', { camera_ids: [camera.id], start_time: s, end_time: e, format: 'mp4', reason: reason.value.trim() || null });
    showMessage('The export was requested; follow it on the Exports page.', 'notice');
    location.hash = `#/exports/${created.id}`;
  }));
  panel.replaceChildren(
    el('h2', {}, `Selected ${dateTime(from)} – ${clock(to)}`),
    el('div', { class: 'form-row' }, el('label', {}, 'From ', start), el('label', {}, 'To ', end)),
    el('div', { class: 'two-col' },
      el('fieldset', {}, el('legend', {}, 'New incident'), title, severity, description, tags, create),
      el('fieldset', {}, el('legend', {}, 'Export'), reason, exportButton)));
}
