// Plays one camera with hls.js: a range from a wall-clock instant, or the live edge (low-latency HLS: partial segments and
// blocking playlist reloads, about a second behind the recorder). It always opens the master playlist, so hls.js picks a
// rendition the browser can decode: the camera's own, or the H.264 one the server transcodes when the browser cannot decode
// the camera's codec (H.265), or the lower one on a slow link when adaptive bitrate is on; a note says when it is transcoded.
// The playlist comes from the playback API with the caller's credential (xhrSetup); the clock of the playing frame comes
// from the playlist's EXT-X-PROGRAM-DATE-TIME (hls.js playingDate).

import Hls, { type HlsConfig } from 'hls.js';
import { authHeaders } from './api';
import { el } from './dom';
import { clock, date, iso } from './time';

const playlistMs = 30 * 60_000;
const frameSeconds = 1 / 25;
export const speeds = [0.5, 1, 2, 4, 8, 16];
const stallLimitMs = 15_000;
const liveBadgeMs = 20_000;
/** A live player that failed (the server restarted, the network dropped) opens the live edge again this often before giving up. */
const liveRetries = 3;

function playbackErrorText(status: number, type: string, live: boolean): string {
  if (status === 404) return live
    ? 'Nothing was recorded in the last two minutes: the camera may not be recording.'
    : 'Nothing is recorded at this instant. Pick a time inside a recorded (green) span.';
  if (status === 401) return 'You are not signed in, or your key is no longer valid. Sign in again.';
  if (status === 403) return 'Your role does not allow playing this camera.';
  if (status === 429) return 'Too many requests from here. Wait a minute and try again.';
  if (status === 0 && type === Hls.ErrorTypes.NETWORK_ERROR) return 'The server cannot be reached, so the footage cannot be played. Check the network connection.';
  if (status >= 500) return `The server failed to prepare the footage (${status}). Try again in a moment.`;
  if (type === Hls.ErrorTypes.MEDIA_ERROR) return 'The browser could not decode this footage.';
  return 'The footage could not be played. Try another instant.';
}

/** What the note under the picture says about the rendition hls.js plays. */
function renditionNote(name: string | undefined): string {
  if (name === 'h264') return 'Transcoded to H.264 by the server: this browser cannot decode the camera\'s own video (H.265).';
  if (name === 'low') return 'Lower quality for a slow connection (transcoded by the server).';
  return '';
}

/**
 * How a player is used: `hls` settings added to the player's own (a tile of a live wall keeps small buffers), and
 * `ownRendition` to play the camera's own stream only, never a rendition the server would have to transcode.
 */
export type PlayerOptions = { hls?: Partial<HlsConfig>; ownRendition?: boolean };

export class Player {
  readonly element: HTMLElement;
  readonly video: HTMLVideoElement;
  private readonly clockText: HTMLElement;
  private readonly state: HTMLElement;
  private readonly note: HTMLElement;
  private readonly speedText: HTMLElement;
  private readonly liveBadge: HTMLElement;
  private hls: Hls | null = null;
  private speed = 1;
  private wantedStart: number | 'live' | null = null;
  private live = false;
  private retries = 0;
  private stallTimer: number | undefined;
  private retryTimer: number | undefined;
  private readonly ticker: number;
  onInstant: (instantMs: number) => void = () => {};
  /** The live edge has nothing (404): the camera is not recording. */
  onNotLive: () => void = () => {};

  constructor(private readonly cameraId: string, label?: string, private readonly options: PlayerOptions = {}) {
    this.video = el('video', { muted: true, playsinline: true, 'data-testid': 'video' });
    this.video.muted = true;
    this.clockText = el('span', { class: 'clock', 'data-testid': 'clock' }, '--:--:--');
    this.state = el('span', { class: 'player-state', 'data-testid': 'player-state' }, 'Click the timeline to play.');
    this.note = el('div', { class: 'player-note', 'data-testid': 'player-note', hidden: true });
    this.speedText = el('span', { class: 'speed' }, '1x');
    this.liveBadge = el('span', { class: 'live-badge', 'data-testid': 'live-badge', hidden: true }, '● Live');
    this.element = el('div', { class: 'player' },
      label ? el('div', { class: 'player-label' }, label) : null,
      this.video,
      el('div', { class: 'player-bar' }, this.clockText, this.liveBadge, this.speedText, this.state),
      this.note);
    this.video.addEventListener('timeupdate', () => this.tick());
    this.video.addEventListener('playing', () => { this.setState(''); this.armStallTimer(false); });
    // a suspended or failed player (no hls.js) keeps what it said: the media element may still report waiting as it is emptied
    this.video.addEventListener('waiting', () => { if (this.hls) { this.setState('Loading footage…'); this.armStallTimer(true); } });
    this.ticker = window.setInterval(() => this.tick(), 200);
  }

  get playingMs(): number | null {
    return this.hls?.playingDate?.getTime() ?? null;
  }

  get isLive(): boolean {
    return this.live;
  }

  /** The name of the rendition playing ('original', 'h264' or 'low'), once hls.js has chosen one. */
  get rendition(): string | null {
    const hls = this.hls;
    return hls && hls.currentLevel >= 0 ? hls.levels[hls.currentLevel]?.name ?? null : null;
  }

  /** Plays from a wall-clock instant: a playlist from there for half an hour (an open one near now, which keeps growing). */
  playFrom(instantMs: number, note = ''): void {
    this.live = false;
    this.open(`from=${encodeURIComponent(iso(instantMs))}&to=${encodeURIComponent(iso(instantMs + playlistMs))}`, instantMs);
    this.setNote(note);
  }

  /**
   * Plays the live edge: the server's sliding live playlist (no range), low-latency, at the distance hls.js keeps from its
   * edge (three partial segments). The playlist only ever appends, across the recorder's file rotations.
   */
  playLive(): void {
    this.live = true;
    this.retries = 0;
    this.open('', 'live');
    this.setNote('');
  }

  private open(range: string, start: number | 'live'): void {
    this.stop();
    this.wantedStart = start;
    this.setState('Loading footage…');
    this.armStallTimer(true);
    const hls = new Hls({
      autoStartLoad: false,
      xhrSetup: xhr => {
        for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
      },
      // live: catch up with the edge by playing a little faster after a stall, rather than stay behind
      ...(start === 'live' ? { lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.5 } : {}),
      ...this.options.hls,
    });
    this.hls = hls;
    // the master playlist is read: load the chosen rendition's playlist and start where the server says (EXT-X-START: the
    // instant asked for; live: hls.js's distance from the edge)
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      if (hls !== this.hls) return;
      const own = this.options.ownRendition ? hls.levels.findIndex(level => level.name === 'original') : -1;
      if (own >= 0) hls.loadLevel = own;
      hls.startLoad(-1);
    });
    hls.on(Hls.Events.LEVEL_LOADED, (_event, data) => {
      if (hls !== this.hls || this.wantedStart === null) return;
      const wanted = this.wantedStart;
      this.wantedStart = null;
      if (wanted !== 'live') {
        // always: a range that reaches into the last moments is an open (EVENT) playlist, which hls.js would otherwise
        // start near its end, as if it were the live edge
        const position = this.positionOf(data.details.fragments, wanted);
        hls.startLoad(position);
        this.video.currentTime = position;
      }
      // only a browser that wants a gesture asks for one: a play() cut short by a pause or by the player being
      // suspended or replaced (AbortError) must not overwrite what that pause said
      void this.video.play().catch((error: unknown) => {
        if (hls === this.hls && (error as Error | undefined)?.name === 'NotAllowedError') this.setState('Press play to start.');
      });
    });
    hls.on(Hls.Events.LEVEL_SWITCHED, () => {
      if (hls !== this.hls) return;
      const text = renditionNote(this.rendition ?? undefined);
      this.element.dataset.rendition = this.rendition ?? '';
      if (text || this.note.dataset.kind === 'rendition') this.setNote(text, 'rendition');
    });
    hls.on(Hls.Events.FRAG_BUFFERED, () => { if (hls === this.hls && this.live) this.retries = 0; });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (hls !== this.hls || !data.fatal) return;
      // counted for people and tests reading the page: a stable live playlist never gets here
      this.element.dataset.fatalErrors = String(Number(this.element.dataset.fatalErrors ?? 0) + 1);
      this.element.dataset.lastError = `${data.details}: ${String((data.error as Error | undefined)?.message ?? '').slice(0, 300)}`;
      const status = (data.response as { code?: number } | undefined)?.code ?? 0;
      if (start === 'live' && status === 404) {
        this.stop();
        this.onNotLive();
        return;
      }
      if (start === 'live' && this.retries < liveRetries && status !== 401 && status !== 403) {
        // the server restarted or the network dropped: open the live edge again in a moment
        this.retries++;
        this.setState('Reconnecting to the live picture…');
        this.stop();
        this.retryTimer = window.setTimeout(() => this.open('', 'live'), 2000 * this.retries);
        return;
      }
      this.fail(playbackErrorText(status, data.type, start === 'live'));
    });
    hls.loadSource(`/api/v1/playback/${this.cameraId}/master.m3u8${range ? `?${range}` : ''}`);
    hls.attachMedia(this.video);
    this.video.playbackRate = this.speed;
  }

  togglePlay(): void {
    if (this.video.paused) void this.video.play(); else this.video.pause();
  }

  step(frames: number): void {
    this.video.pause();
    this.video.currentTime = Math.max(0, this.video.currentTime + frames * frameSeconds);
  }

  jump(seconds: number): void {
    const at = this.playingMs;
    const target = this.video.currentTime + seconds;
    const details = this.hls?.latestLevelDetails;
    const start = details?.fragments[0]?.start ?? 0;
    if (details && target >= start && target < start + details.totalduration) this.video.currentTime = target;
    else if (at !== null) this.playFrom(at + seconds * 1000);
  }

  changeSpeed(direction: number): void {
    const index = Math.min(speeds.length - 1, Math.max(0, speeds.indexOf(this.speed) + direction));
    this.setSpeed(speeds[index]);
  }

  setSpeed(speed: number): void {
    this.speed = speed;
    this.video.playbackRate = speed;
    this.speedText.textContent = `${speed}x`;
  }

  /** A sentence under the picture (not recording, transcoded); empty hides it. */
  setNote(text: string, kind = 'status'): void {
    this.note.textContent = text;
    this.note.dataset.kind = text ? kind : '';
    this.note.hidden = !text;
  }

  /** Stops playing and loading, frees what was buffered, and says why; playLive() or playFrom() starts again. */
  suspend(text: string): void {
    this.stop();
    this.setState(text);
  }

  /** Whether hls.js is loading or playing (not failed, suspended or destroyed). */
  get isOpen(): boolean {
    return this.hls !== null;
  }

  /** Stops for good: the view that made the player is gone. */
  destroy(): void {
    this.stop();
    window.clearInterval(this.ticker);
  }

  private stop(): void {
    this.hls?.destroy();
    this.hls = null;
    window.clearTimeout(this.stallTimer);
    window.clearTimeout(this.retryTimer);
  }

  private positionOf(fragments: { start: number; duration: number; programDateTime: number | null }[], instantMs: number): number {
    let position = 0;
    for (const fragment of fragments) {
      if (fragment.programDateTime === null) continue;
      if (fragment.programDateTime <= instantMs) position = fragment.start + Math.min(fragment.duration, (instantMs - fragment.programDateTime) / 1000);
      else break;
    }
    return position;
  }

  private tick(): void {
    const at = this.playingMs;
    if (at === null) return;
    this.clockText.textContent = `${date(at)} ${clock(at, true)}`;
    this.clockText.dataset.ms = String(at);
    // "Live" only while the playing frame is really recent, not once paused or jumped back.
    this.liveBadge.hidden = !(this.live && Date.now() - at < liveBadgeMs);
    this.onInstant(at);
  }

  private armStallTimer(on: boolean): void {
    window.clearTimeout(this.stallTimer);
    if (!on) return;
    const limit = this.live ? stallLimitMs * 2 : stallLimitMs;
    const text = this.live
      ? `No new footage arrived for ${limit / 1000} seconds. The camera may have stopped recording.`
      : `The footage did not start within ${limit / 1000} seconds. The recording may be unavailable; try another instant.`;
    this.stallTimer = window.setTimeout(() => this.fail(text), limit);
  }

  private fail(text: string): void {
    this.stop();
    this.setState(text, true);
  }

  private setState(text: string, error = false): void {
    this.state.textContent = text;
    this.state.classList.toggle('error', error);
  }
}
