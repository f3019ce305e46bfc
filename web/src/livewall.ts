// A wall of live tiles for a control room (2x2, 3x3 or 4x4): filled from a group (its cameras by name, a page of N at a time)
// or a camera at a time (choose, clear, or drag one tile's camera onto another), each tile playing its camera's live picture
// with the UI's live player. A 16-tile wall stays light: each tile buffers a few seconds and keeps nothing played, plays the
// camera's own stream (never a rendition the server would transcode), and tiles out of view, or all of them while the tab is
// hidden, stop loading until seen again. A tile whose camera is not recording says so in words. The wall's layout, cameras,
// group and page are kept in the address (#/live/4x4/{ids}?group=&page=), so a wall can be bookmarked or shared.

import { get, query } from './api';
import { el, errorText } from './dom';
import { stateText } from './cameras';
import { Player } from './player';
import type { Camera, CameraGroup, CameraPage, RecordingStatus } from './types';

export const wallSizes: Record<string, number> = { '2x2': 2, '3x3': 3, '4x4': 4 };
const statusRefreshMs = 10_000;
const chooserResults = 8;

/** hls.js settings of a tile: a few seconds buffered ahead, nothing kept once played. */
const tileHls = { maxBufferLength: 4, maxMaxBufferLength: 8, backBufferLength: 0, maxBufferSize: 4_000_000 };

/** Why a tile shows no live picture, in words, from the fleet's recording status of its camera. */
export function notRecordingText(status: RecordingStatus | null): string {
  if (!status) return 'The recording state of this camera could not be read.';
  switch (status.state) {
    case 'MILESTONE': return 'Recorded by Milestone: no live picture here.';
    case 'WAITING_FOR_RECORDER': return 'Not recording: waiting for a recorder to take this camera.';
    case 'RECONNECTING': return 'Not recording: the camera cannot be reached, the recorder is reconnecting.';
    case 'FAILED': return `Not recording: recording failed.${status.last_error ? ` ${status.last_error}` : ''}`;
    case 'WAITING_FOR_QUOTA': return 'Not recording: its storage quota is full.';
    case 'STOPPED': return 'Not recording: recording is stopped for this camera.';
    default: return `Not recording (${stateText[status.state] ?? status.state}).`;
  }
}

type WallState = { size: string; ids: (string | null)[]; group: string | null; page: number };

/** The wall as the address gives it: `size`, the tiles' camera ids (empty for an empty tile), `group` and `page`. */
export function parseWall(size: string | undefined, ids: string | undefined, search: string): WallState {
  const params = new URLSearchParams(search);
  const page = Number.parseInt(params.get('page') ?? '0', 10);
  return {
    size: size && wallSizes[size] ? size : '2x2',
    ids: ids ? ids.split(',').map(id => id || null) : [],
    group: params.get('group') || null,
    page: Number.isFinite(page) && page > 0 ? page : 0,
  };
}

class Tile {
  readonly element: HTMLElement;
  camera: Camera | null = null;
  private player: Player | null = null;
  private status: RecordingStatus | null = null;
  private inView = true;
  private pageVisible = document.visibilityState !== 'hidden';
  private readonly name: HTMLAnchorElement;
  private readonly body: HTMLElement;
  private readonly message: HTMLElement;
  private readonly chooser: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly results: HTMLElement;
  private typing: number | undefined;

  constructor(readonly index: number, private readonly changed: (tile: Tile) => void, swap: (from: number, to: number) => void) {
    this.name = el('a', { class: 'tile-name', 'data-testid': 'tile-name', draggable: 'true', title: 'Drag onto another tile to swap them' });
    const choose = el('button', { class: 'small', type: 'button', 'data-testid': 'tile-choose', title: 'Choose the camera of this tile' }, 'Choose');
    const clear = el('button', { class: 'small', type: 'button', 'data-testid': 'tile-clear', title: 'Empty this tile' }, 'Clear');
    this.message = el('p', { class: 'tile-message muted', 'data-testid': 'tile-message' });
    this.body = el('div', { class: 'tile-body' }, this.message);
    this.search = el('input', { type: 'search', placeholder: 'Find a camera', 'aria-label': 'Find a camera for this tile', 'data-testid': 'tile-search' });
    this.results = el('div', { class: 'tile-results', 'data-testid': 'tile-results' });
    this.chooser = el('div', { class: 'tile-chooser', hidden: true }, this.search, this.results);
    this.element = el('section', { class: 'tile', 'data-testid': 'tile', 'data-index': String(index) },
      el('div', { class: 'tile-head' }, this.name, el('span', { class: 'spacer' }), choose, clear), this.chooser, this.body);
    choose.addEventListener('click', () => this.toggleChooser());
    clear.addEventListener('click', () => { this.show(null); this.changed(this); });
    this.search.addEventListener('input', () => { window.clearTimeout(this.typing); this.typing = window.setTimeout(() => void this.find(), 250); });
    this.search.addEventListener('keydown', event => { if (event.key === 'Escape') this.toggleChooser(false); });
    this.name.addEventListener('dragstart', event => event.dataTransfer?.setData('application/x-footage-tile', String(index)));
    this.element.addEventListener('dragover', event => { if (event.dataTransfer?.types.includes('application/x-footage-tile')) event.preventDefault(); });
    this.element.addEventListener('drop', event => {
      const from = Number.parseInt(event.dataTransfer?.getData('application/x-footage-tile') ?? '', 10);
      if (Number.isInteger(from) && from !== index) { event.preventDefault(); swap(from, index); }
    });
    this.show(null);
  }

  /** Puts a camera (or none) on the tile; its recording status is read before it plays. */
  show(camera: Camera | null): void {
    if (camera?.id === this.camera?.id && camera) return;
    this.player?.destroy();
    this.player = null;
    this.status = null;
    this.camera = camera;
    this.element.dataset.cameraId = camera?.id ?? '';
    this.name.textContent = camera?.name ?? 'Empty tile';
    if (camera) this.name.href = `#/camera/${camera.id}`; else this.name.removeAttribute('href');
    if (!camera) { this.say('empty', 'Empty tile. Choose a camera, or fill the wall from a group.'); return; }
    this.say('loading', 'Reading the recording state…');
    void this.refresh();
  }

  /** Reads the fleet's recording status of the camera and plays or says why not. */
  async refresh(): Promise<void> {
    const camera = this.camera;
    if (!camera) return;
    let status: RecordingStatus | null = null;
    try {
      status = await get<RecordingStatus>(`/api/v1/recording/status/${camera.id}`);
    } catch (error) {
      if (camera !== this.camera) return;
      this.status = null;
      this.player?.suspend('');
      this.say('not-recording', `The recording state of this camera could not be read. ${errorText(error)}`);
      return;
    }
    if (camera !== this.camera) return;
    this.status = status;
    this.update();
  }

  setInView(inView: boolean): void { this.inView = inView; this.update(); }

  setPageVisible(visible: boolean): void { this.pageVisible = visible; this.update(); }

  destroy(): void {
    window.clearTimeout(this.typing);
    this.player?.destroy();
    this.player = null;
  }

  private update(): void {
    const camera = this.camera;
    if (!camera || !this.status) return;
    if (this.status.health !== 'recording') {
      this.player?.suspend('');
      this.say('not-recording', notRecordingText(this.status));
      return;
    }
    if (!this.player) {
      this.player = new Player(camera.id, undefined, { hls: tileHls, ownRendition: true });
      // the live edge is empty although the status said recording (it just stopped, or has not stored anything yet)
      this.player.onNotLive = () => this.say('not-recording', 'Not recording: nothing was recorded in the last two minutes.');
    }
    this.message.hidden = true;
    if (!this.body.contains(this.player.element)) this.body.append(this.player.element);
    this.player.element.hidden = false;
    if (!this.inView || !this.pageVisible) {
      if (this.player.isOpen) this.player.suspend('Paused while out of view.');
      this.element.dataset.state = 'paused';
      return;
    }
    this.element.dataset.state = 'playing';
    // a player that failed or was paused opens the live edge again; one that plays goes on
    if (!this.player.isOpen) this.player.playLive();
  }

  private say(state: string, text: string): void {
    this.element.dataset.state = state;
    if (this.player) this.player.element.hidden = true;
    this.message.textContent = text;
    this.message.hidden = false;
  }

  private toggleChooser(open = this.chooser.hidden): void {
    this.chooser.hidden = !open;
    if (open) { this.search.value = ''; this.results.replaceChildren(); this.search.focus(); void this.find(); }
  }

  private async find(): Promise<void> {
    try {
      const page = await get<CameraPage>(`/api/v1/cameras${query({ q: this.search.value.trim(), limit: chooserResults })}`);
      this.results.replaceChildren(...(page.items.length ? page.items.map(camera => el('button', {
        class: 'small', type: 'button', 'data-testid': 'tile-result', onclick: () => { this.toggleChooser(false); this.show(camera); this.changed(this); },
      }, camera.name)) : [el('p', { class: 'muted' }, 'No camera matches.')]));
    } catch (error) {
      this.results.replaceChildren(el('p', { class: 'error' }, `The cameras could not be found. ${errorText(error)}`));
    }
  }
}

export async function liveWallView(main: HTMLElement, initial: WallState): Promise<() => void> {
  let state = initial;
  let tiles: Tile[] = [];
  let groupTotal = 0;
  const size = el('select', { name: 'wall_size', 'aria-label': 'Tiles', 'data-testid': 'wall-size' },
    ...Object.keys(wallSizes).map(name => el('option', { value: name, selected: name === state.size }, `${name} tiles`)));
  const group = el('select', { name: 'wall_group', 'aria-label': 'Fill from a group', 'data-testid': 'wall-group' }, el('option', { value: '' }, 'Fill from a group…'));
  const previous = el('button', { class: 'small', type: 'button', 'data-testid': 'wall-previous' }, 'Previous');
  const next = el('button', { class: 'small', type: 'button', 'data-testid': 'wall-next' }, 'Next');
  const position = el('span', { class: 'muted', 'data-testid': 'wall-page' });
  const grid = el('div', { class: 'live-wall', 'data-testid': 'live-wall' });
  const problem = el('p', { class: 'error', hidden: true, 'data-testid': 'wall-problem' });
  main.replaceChildren(el('div', { class: 'camera-filters' }, el('h1', {}, 'Live wall'), size, group,
    el('span', { class: 'pager' }, previous, position, next)), problem, grid);

  const count = () => wallSizes[state.size] ** 2;
  const remember = () => {
    const ids = tiles.map(t => t.camera?.id ?? '').join(',');
    const search = query({ group: state.group, page: state.group && state.page ? state.page : null });
    history.replaceState(null, '', `#/live/${state.size}/${ids}${search}`);
  };
  const showPager = () => {
    const n = count();
    const first = state.page * n;
    position.textContent = state.group && groupTotal ? `${first + 1}–${Math.min(first + n, groupTotal)} of ${groupTotal}` : '';
    previous.hidden = next.hidden = !state.group;
    previous.disabled = state.page === 0;
    next.disabled = first + n >= groupTotal;
  };
  const visibility = new IntersectionObserver(entries => {
    for (const entry of entries) tiles.find(t => t.element === entry.target)?.setInView(entry.isIntersecting);
  });
  const layout = (cameras: (Camera | null)[]) => {
    const n = count();
    for (const tile of tiles.slice(n)) { visibility.unobserve(tile.element); tile.destroy(); }
    tiles = tiles.slice(0, n);
    while (tiles.length < n) {
      const tile = new Tile(tiles.length, () => { remember(); }, (from, to) => {
        const a = tiles[from].camera;
        tiles[from].show(tiles[to].camera);
        tiles[to].show(a);
        remember();
      });
      tiles.push(tile);
      visibility.observe(tile.element);
    }
    tiles.forEach((tile, i) => tile.show(cameras[i] ?? null));
    grid.className = `live-wall live-wall-${wallSizes[state.size]}`;
    grid.replaceChildren(...tiles.map(t => t.element));
    remember();
    showPager();
  };
  const fillFromGroup = async () => {
    if (!state.group) { showPager(); return; }
    try {
      const page = await get<CameraPage>(`/api/v1/cameras${query({ group: state.group, offset: state.page * count(), limit: count() })}`);
      groupTotal = page.total;
      problem.hidden = true;
      layout(page.items);
      if (!page.items.length) { problem.textContent = 'This group has no camera you may see.'; problem.hidden = false; }
    } catch (error) {
      problem.textContent = `The cameras of the group could not be loaded. ${errorText(error)}`;
      problem.hidden = false;
    }
  };
  const camerasOf = async (ids: (string | null)[]) => Promise.all(ids.map(async id => {
    if (!id) return null;
    try { return await get<Camera>(`/api/v1/cameras/${id}`); } catch { return null; }
  }));

  size.addEventListener('change', () => {
    const cameras = tiles.map(t => t.camera);
    state = { ...state, size: size.value, page: 0 };
    if (state.group) void fillFromGroup(); else layout(cameras);
  });
  group.addEventListener('change', () => { state = { ...state, group: group.value || null, page: 0 }; groupTotal = 0; void fillFromGroup(); });
  previous.addEventListener('click', () => { if (state.page > 0) { state = { ...state, page: state.page - 1 }; void fillFromGroup(); } });
  next.addEventListener('click', () => { if ((state.page + 1) * count() < groupTotal) { state = { ...state, page: state.page + 1 }; void fillFromGroup(); } });
  const onVisibility = () => tiles.forEach(t => t.setPageVisible(document.visibilityState !== 'hidden'));
  document.addEventListener('visibilitychange', onVisibility);
  const timer = window.setInterval(() => tiles.forEach(t => void t.refresh()), statusRefreshMs);

  try {
    const groups = await get<CameraGroup[]>('/api/v1/camera-groups');
    group.append(...groups.map(g => el('option', { value: g.id, selected: g.id === state.group }, `${g.name} (${g.camera_ids.length})`)));
  } catch (error) {
    problem.textContent = `The groups could not be loaded. ${errorText(error)}`;
    problem.hidden = false;
  }
  if (state.ids.length) {
    layout(await camerasOf(state.ids));
    if (state.group) {
      // the tiles as the address has them; the pager still knows the group's size
      try { groupTotal = (await get<CameraPage>(`/api/v1/cameras${query({ group: state.group, limit: 1 })}`)).total; } catch { groupTotal = 0; }
      showPager();
    }
  } else if (state.group) {
    layout([]);
    await fillFromGroup();
  } else {
    layout([]);
  }

  return () => {
    window.clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisibility);
    visibility.disconnect();
    tiles.forEach(t => t.destroy());
  };
}
