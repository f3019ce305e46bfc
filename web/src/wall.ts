// Several cameras side by side, all playing the same wall-clock instant: one timeline (of the first camera)
// drives every player; the first player's clock moves the shared playhead. A range selected on it makes an
// incident or an export of the cameras shown.

import { get } from './api';
import { el, errorText } from './dom';
import { Player } from './player';
import { showRange } from './range';
import { TimelineView } from './timeline';
import type { Camera } from './types';

export async function wallView(main: HTMLElement, ids: string[]): Promise<() => void> {
  let cameras: Camera[];
  try {
    const body = await get<Camera[] | { items: Camera[] }>('/api/v1/cameras');
    cameras = Array.isArray(body) ? body : body.items;
  } catch (error) {
    main.replaceChildren(el('p', { class: 'error' }, `The cameras could not be loaded. ${errorText(error)}`));
    return () => {};
  }
  const chosen = ids.length ? cameras.filter(c => ids.includes(c.id)) : cameras.slice(0, 4);
  const picker = el('div', { class: 'form-row' }, ...cameras.map(c => el('label', {},
    el('input', { type: 'checkbox', value: c.id, checked: chosen.some(x => x.id === c.id), onchange: () => {
      const selected = [...picker.querySelectorAll<HTMLInputElement>('input:checked')].map(i => i.value);
      location.hash = `#/wall/${selected.join(',')}`;
    } }), ` ${c.name}`)));
  if (!chosen.length) {
    main.replaceChildren(el('h1', {}, 'Side by side'), picker, el('p', { class: 'muted' }, 'Choose cameras to show.'));
    return () => {};
  }
  const players = chosen.map(c => new Player(c.id, c.name));
  const timeline = new TimelineView(chosen[0].id, {
    onSeek: instant => players.forEach(p => p.playFrom(instant)),
    onSelect: (from, to) => showRange(rangePanel, chosen, from, to),
  });
  const rangePanel = el('section', { class: 'panel', 'data-testid': 'range-panel' }, el('p', { class: 'muted' }, 'Drag across the timeline to select a range for an incident or an export of these cameras.'));
  const live = el('button', { 'data-testid': 'live-edge', title: 'Play the latest footage of every camera' }, 'Live edge');
  live.addEventListener('click', () => { timeline.showLast(300_000); players.forEach(p => p.playLive()); });
  players[0].onInstant = instant => { timeline.setPlayhead(instant); timeline.follow(instant); };
  // Players drift apart over minutes (buffering differs): bring the others back when they are off by more than half a second.
  const sync = window.setInterval(() => {
    const leader = players[0].playingMs;
    if (leader === null) return;
    for (const p of players.slice(1)) {
      const at = p.playingMs;
      if (at !== null && Math.abs(at - leader) > 500) p.video.currentTime += (leader - at) / 1000;
    }
  }, 2000);
  main.replaceChildren(el('div', { class: 'camera-head' }, el('h1', {}, 'Side by side'), el('span', { class: 'spacer' }), live), picker,
    el('div', { class: `wall wall-${Math.min(players.length, 4)}` }, ...players.map(p => p.element)), timeline.element, rangePanel);
  return () => { window.clearInterval(sync); players.forEach(p => p.destroy()); };
}
