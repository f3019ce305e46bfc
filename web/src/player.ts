// Plays one camera from a wall-clock instant with hls.js. The playlist comes from the playback API with the
// API key (xhrSetup); its media links are signed. The clock of the playing frame comes from the
// playlist's EXT-X-PROGRAM-DATE-TIME (hls.js playingDate).

import Hls from 'hls.js';
import { authHeaders } from './api';
import { el } from './dom';
import { clock, date, iso } from './time';

const playlistMs = 30 * 60_000;
const frameSeconds = 1 / 25;
export const speeds = [0.5, 1, 2, 4, 8, 16];
const stallLimitMs = 15_000;
const liveWindowMs = 2 * 60_000;
const liveLagSeconds = 3;
const liveBadgeMs = 20_000;

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

export class Player {
  readonly element: HTMLElement;
  readonly video: HTMLVideoElement;
  private readonly clockText: HTMLElement;
  private readonly state: HTMLElement;
  private readonly speedText: HTMLElement;
  private readonly liveBadge: HTMLElement;
  private hls: Hls | null = null;
  private speed = 1;
  private wantedStart: number | 'live' | null = null;
  private live = false;
  private liveFallback: (() => void) | null = null;
  private stallTimer: number | undefined;
  private readonly ticker: number;
  onInstant: (instantMs: number) => void = () => {};

  constructor(private readonly cameraId: string, label?: string) {
    this.video = el('video', { muted: true, playsinline: true, 'data-testid': 'video' });
    this.video.muted = true;
    this.clockText = el('span', { class: 'clock', 'data-testid': 'clock' }, '--:--:--');
    this.state = el('span', { class: 'player-state', 'data-testid': 'player-state' }, 'Click the timeline to play.');
    this.speedText = el('span', { class: 'speed' }, '1x');
    this.liveBadge = el('span', { class: 'live-badge', 'data-testid': 'live-badge', hidden: true }, '● Live');
    this.element = el('div', { class: 'player' },
      label ? el('div', { class: 'player-label' }, label) : null,
      this.video,
      el('div', { class: 'player-bar' }, this.clockText, this.liveBadge, this.speedText, this.state));
    this.video.addEventListener('timeupdate', () => this.tick());
    this.video.addEventListener('playing', () => { this.setState(''); this.armStallTimer(false); });
    this.video.addEventListener('waiting', () => { this.setState('Loading footage…'); this.armStallTimer(true); });
    this.ticker = window.setInterval(() => this.tick(), 200);
  }

  get playingMs(): number | null {
    return this.hls?.playingDate?.getTime() ?? null;
  }

  /** Plays from a wall-clock instant: a playlist from there for half an hour (an open one near now, which keeps growing). */
  playFrom(instantMs: number): void {
    this.live = false;
    this.open(`from=${encodeURIComponent(iso(instantMs))}&to=${encodeURIComponent(iso(instantMs + playlistMs))}`, instantMs);
  }

  /**
   * Plays the live edge: a playlist without `to`, which the server keeps open and growing with the segment the
   * recorder is still writing, started a few seconds before its end. A server that still wants `to` (400) gets
   * the same range up to now, so the player falls back to the latest stored footage.
   */
  playLive(): void {
    this.live = true;
    const from = Date.now() - liveWindowMs;
    this.liveFallback = () => this.open(`from=${encodeURIComponent(iso(from))}&to=${encodeURIComponent(iso(Date.now() + 60_000))}`, 'live');
    this.open(`from=${encodeURIComponent(iso(from))}`, 'live');
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
      // Signed media links need no key; only the playlist is under the API's authentication.
      ...(start === 'live' ? { liveSyncDuration: liveLagSeconds, liveMaxLatencyDuration: liveLagSeconds * 4 } : {}),
    });
    this.hls = hls;
    hls.on(Hls.Events.LEVEL_LOADED, (_event, data) => {
      if (hls !== this.hls || this.wantedStart === null) return;
      const wanted = this.wantedStart;
      this.wantedStart = null;
      const position = wanted === 'live'
        ? Math.max(0, data.details.totalduration - liveLagSeconds)
        : this.positionOf(data.details.fragments, wanted);
      hls.startLoad(position);
      this.video.currentTime = position;
      void this.video.play().catch(() => this.setState('Press play to start.'));
    });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (hls !== this.hls || !data.fatal) return;
      const status = (data.response as { code?: number } | undefined)?.code ?? 0;
      if (start === 'live' && status === 400 && this.liveFallback) {
        const fallback = this.liveFallback;
        this.liveFallback = null;
        fallback();
        return;
      }
      this.fail(playbackErrorText(status, data.type, start === 'live'));
    });
    hls.loadSource(`/api/v1/playback/${this.cameraId}/hls?${range}`);
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
    const buffered = this.hls?.latestLevelDetails;
    if (buffered && target >= 0 && target < buffered.totalduration) this.video.currentTime = target;
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

  /** Stops for good: the view that made the player is gone. */
  destroy(): void {
    this.stop();
    window.clearInterval(this.ticker);
  }

  private stop(): void {
    this.hls?.destroy();
    this.hls = null;
    window.clearTimeout(this.stallTimer);
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
    // At the live edge new footage may take a segment's upload to arrive (when the server has no open playlist).
    const limit = this.live ? stallLimitMs * 4 : stallLimitMs;
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
