// One camera: the player, its timeline, keyboard shortcuts, and what can be done with a selected range
// (an incident, an export) or the playing instant (an annotation).

import { get, post } from './api';
import { el, guarded, showMessage, errorText } from './dom';
import { Player } from './player';
import { showRange } from './range';
import { TimelineView } from './timeline';
import type { Camera } from './types';
import { clock, ms } from './time';

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
    onSelect: (from, to) => showRange(rangePanel, [camera], from, to),
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
