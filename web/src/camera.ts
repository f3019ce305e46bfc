// One camera: the player, its timeline, keyboard shortcuts, and what can be done with a selected range
// (an incident, an export) or the playing instant (an annotation).

import { get, post, query } from './api';
import { el, guarded, showMessage, errorText } from './dom';
import { Player } from './player';
import { showRange } from './range';
import { shareControl } from './share';
import { TimelineView } from './timeline';
import type { Camera, Timeline } from './types';
import { clock, dateTime, iso, ms } from './time';

const latestLookBackMs = 7 * 86_400_000;

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
  // not recording: the latest footage instead, said in words
  player.onNotLive = () => void playLatest(cameraId, player, timeline);

  const liveButton = el('button', { 'data-testid': 'live-edge', title: 'Play the live picture (L)' }, 'Live');
  liveButton.addEventListener('click', () => { timeline.showLast(300_000); player.playLive(); });
  const share = shareControl(cameraId, () => {
    if (player.isLive) return 'live';
    const at = player.playingMs ?? Date.now() - 3_600_000;
    return { from: at, to: Math.min(Date.now(), at + 3_600_000) };
  });
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
      noteForm, share, liveButton),
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
  } else {
    // like any VMS client: a camera opens on its live picture
    timeline.showLast(300_000);
    player.playLive();
  }
  return () => { document.removeEventListener('keydown', onKey); player.destroy(); };
}

/** The camera is not recording: its most recent footage of the last 7 days plays, and the player says so. */
async function playLatest(cameraId: string, player: Player, timeline: TimelineView): Promise<void> {
  const now = Date.now();
  let spans: Timeline['spans'] = [];
  try {
    spans = (await get<Timeline>(`/api/v1/playback/${cameraId}/segments${query({ from: iso(now - latestLookBackMs), to: iso(now + 60_000) })}`)).spans;
  } catch (error) {
    player.setNote(`This camera is not recording, and its recordings could not be looked up. ${errorText(error)}`);
    return;
  }
  const last = spans.at(-1);
  if (!last) {
    player.setNote('This camera is not recording, and nothing was recorded in the last 7 days.');
    return;
  }
  const end = ms(last.end_time);
  const from = Math.max(ms(last.start_time), end - 30_000);
  timeline.centreOn(end, 600_000);
  player.playFrom(from, `This camera is not recording. Showing its latest footage, recorded until ${dateTime(end)}.`);
}

function shortcutsHelp(): HTMLElement {
  const rows: [string, string][] = [['Space', 'play / pause'], [', .', 'one frame back / forward'], ['← →', '10 s back / forward'], ['[ ]', 'slower / faster (0.5x to 16x)'], ['L', 'live picture'], ['Wheel', 'zoom the timeline'], ['Drag', 'select a range'], ['Alt+drag', 'move the timeline']];
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
