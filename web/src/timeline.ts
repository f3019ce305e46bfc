// A horizontal time axis for one camera: recorded spans and gaps, incident and annotation markers,
// thumbnails on hover. It zooms from 7 days down to 10 seconds (wheel, buttons), pans (buttons, drag with
// the middle button or Alt), plays from a clicked instant, and selects a range by dragging.

import { get, query } from './api';
import { el, errorText } from './dom';
import type { Marker, Span, Thumbnail, Timeline as TimelineData, TimelineSegment } from './types';
import { clock, date, dateTime, iso, ms } from './time';

const minSpanMs = 10_000;
const maxSpanMs = 7 * 86_400_000;
const tickSteps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map(s => s * 1000);

export type TimelineEvents = {
  onSeek: (instantMs: number) => void;
  onSelect: (fromMs: number, toMs: number) => void;
};

export class TimelineView {
  readonly element: HTMLElement;
  private readonly track: HTMLElement;
  private readonly layer: HTMLElement;
  private readonly axis: HTMLElement;
  private readonly playhead: HTMLElement;
  private readonly selection: HTMLElement;
  private readonly hover: HTMLElement;
  private readonly status: HTMLElement;
  private readonly title: HTMLElement;
  private data: TimelineData | null = null;
  private loadToken = 0;
  private loadTimer: number | undefined;
  private playheadMs: number | null = null;
  private selected: [number, number] | null = null;
  private viewStart: number;
  private viewEnd: number;

  constructor(private readonly cameraId: string, private readonly events: TimelineEvents, spanMs = 3_600_000) {
    const now = Date.now();
    this.viewEnd = now + spanMs * 0.05;
    this.viewStart = this.viewEnd - spanMs;
    this.layer = el('div', { class: 'tl-layer' });
    this.axis = el('div', { class: 'tl-axis' });
    this.playhead = el('div', { class: 'tl-playhead', hidden: true });
    this.selection = el('div', { class: 'tl-selection', hidden: true });
    this.hover = el('div', { class: 'tl-hover', hidden: true });
    this.track = el('div', { class: 'tl-track', 'data-testid': 'timeline-track', tabindex: 0 }, this.layer, this.selection, this.playhead, this.hover);
    this.status = el('span', { class: 'tl-status' });
    this.title = el('span', { class: 'tl-range' });
    const button = (label: string, titleText: string, action: () => void) => el('button', { class: 'small', title: titleText, onclick: action }, label);
    this.element = el('section', { class: 'timeline' },
      el('div', { class: 'tl-bar' },
        button('◀', 'Earlier', () => this.pan(-0.5)),
        button('−', 'Zoom out', () => this.zoom(2)),
        button('+', 'Zoom in', () => this.zoom(0.5)),
        button('▶', 'Later', () => this.pan(0.5)),
        button('7 d', 'The last 7 days', () => this.showLast(maxSpanMs)),
        button('1 d', 'The last day', () => this.showLast(86_400_000)),
        button('1 h', 'The last hour', () => this.showLast(3_600_000)),
        button('5 min', 'The last 5 minutes', () => this.showLast(300_000)),
        this.title, this.status),
      this.track, this.axis);
    this.attachPointer();
    this.render();
    this.load();
  }

  get range(): [number, number] { return [this.viewStart, this.viewEnd]; }
  get spans(): Span[] { return this.data?.spans ?? []; }
  get segments(): TimelineSegment[] { return this.data?.segments ?? []; }

  setPlayhead(instantMs: number | null): void {
    this.playheadMs = instantMs;
    this.positionPlayhead();
  }

  /** Keeps the playing instant in view when it runs off the right edge. */
  follow(instantMs: number): void {
    if (instantMs > this.viewEnd || instantMs < this.viewStart) {
      const span = this.viewEnd - this.viewStart;
      this.setView(instantMs - span * 0.25, instantMs + span * 0.75);
    }
  }

  setSelection(range: [number, number] | null): void {
    this.selected = range;
    this.positionSelection();
  }

  showLast(spanMs: number): void {
    const end = Date.now() + spanMs * 0.05;
    this.setView(end - spanMs, end);
  }

  centreOn(instantMs: number, spanMs = this.viewEnd - this.viewStart): void {
    this.setView(instantMs - spanMs / 2, instantMs + spanMs / 2);
  }

  refresh(): void { this.load(); }

  /** Zooms around the given instant; the buttons zoom around the playhead when it is in view, else the middle. */
  private zoom(factor: number, aroundMs = this.zoomCentre()): void {
    const span = Math.min(maxSpanMs, Math.max(minSpanMs, (this.viewEnd - this.viewStart) * factor));
    const ratio = (aroundMs - this.viewStart) / (this.viewEnd - this.viewStart);
    this.setView(aroundMs - span * ratio, aroundMs - span * ratio + span);
  }

  private zoomCentre(): number {
    const head = this.playheadMs;
    return head !== null && head >= this.viewStart && head <= this.viewEnd ? head : (this.viewStart + this.viewEnd) / 2;
  }

  private pan(fraction: number): void {
    const shift = (this.viewEnd - this.viewStart) * fraction;
    this.setView(this.viewStart + shift, this.viewEnd + shift);
  }

  private setView(start: number, end: number): void {
    this.viewStart = start;
    this.viewEnd = end;
    this.render();
    window.clearTimeout(this.loadTimer);
    this.loadTimer = window.setTimeout(() => this.load(), 150);
  }

  private async load(): Promise<void> {
    const token = ++this.loadToken;
    this.status.textContent = 'Loading…';
    this.status.className = 'tl-status';
    try {
      const data = await get<TimelineData>(`/api/v1/playback/${this.cameraId}/segments${query({ from: iso(this.viewStart), to: iso(this.viewEnd) })}`);
      if (token !== this.loadToken) return;
      this.data = data;
      this.status.textContent = data.spans.length
        ? `${Math.round(data.recorded_seconds)} s recorded in view`
        : 'Nothing recorded in this range';
      this.element.dataset.spans = String(data.spans.length);
      this.render();
    } catch (error) {
      if (token !== this.loadToken) return;
      this.status.textContent = `The timeline could not be loaded. ${errorText(error)}`;
      this.status.className = 'tl-status error';
    }
  }

  private x(instantMs: number): number {
    return ((instantMs - this.viewStart) / (this.viewEnd - this.viewStart)) * 100;
  }

  private instantAt(clientX: number): number {
    const box = this.track.getBoundingClientRect();
    const ratio = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
    return this.viewStart + ratio * (this.viewEnd - this.viewStart);
  }

  private render(): void {
    this.title.textContent = `${dateTime(this.viewStart)} – ${dateTime(this.viewEnd)}`;
    this.element.dataset.viewStart = String(this.viewStart);
    this.element.dataset.viewEnd = String(this.viewEnd);
    const children: HTMLElement[] = [];
    for (const span of this.data?.spans ?? []) children.push(this.bar('tl-span', ms(span.start_time), ms(span.end_time), `Recorded ${clock(ms(span.start_time))} – ${clock(ms(span.end_time))}`));
    for (const gap of this.data?.gaps ?? []) children.push(this.bar('tl-gap', ms(gap.start_time), ms(gap.end_time), `Not recorded ${clock(ms(gap.start_time))} – ${clock(ms(gap.end_time))}`));
    for (const marker of this.data?.markers ?? []) children.push(this.marker(marker));
    const now = Date.now();
    if (now > this.viewStart && now < this.viewEnd) children.push(el('div', { class: 'tl-now', style: `left:${this.x(now)}%`, title: 'Now' }));
    this.layer.replaceChildren(...children);
    this.renderAxis();
    this.positionPlayhead();
    this.positionSelection();
  }

  private bar(cls: string, start: number, end: number, titleText: string): HTMLElement {
    const left = Math.max(0, this.x(start));
    const right = Math.min(100, this.x(end));
    return el('div', { class: cls, style: `left:${left}%;width:${Math.max(right - left, 0.15)}%`, title: titleText });
  }

  private marker(marker: Marker): HTMLElement {
    const start = ms(marker.start);
    const end = marker.end ? ms(marker.end) : start;
    const element = marker.end
      ? this.bar(`tl-marker tl-${marker.kind}`, start, end, `${marker.kind}: ${marker.label}`)
      : el('div', { class: `tl-marker tl-${marker.kind} tl-point`, style: `left:${this.x(start)}%`, title: `${marker.kind}: ${marker.label}` });
    element.dataset.markerId = marker.id;
    if (marker.kind === 'incident') {
      element.addEventListener('click', event => { event.stopPropagation(); location.hash = `#/incident/${marker.id}`; });
    }
    return element;
  }

  private renderAxis(): void {
    const span = this.viewEnd - this.viewStart;
    const step = tickSteps.find(s => span / s <= 10) ?? 86_400_000;
    const offset = new Date().getTimezoneOffset() * 60_000;
    const ticks: HTMLElement[] = [];
    for (let t = Math.ceil((this.viewStart - offset) / step) * step + offset; t <= this.viewEnd; t += step) {
      const label = step >= 86_400_000 ? date(t) : step >= 60_000 ? clock(t).slice(0, 5) : clock(t);
      // A label centred on a tick at the very edge would stick out of the axis.
      if (this.x(t) < 3 || this.x(t) > 97) continue;
      ticks.push(el('span', { class: 'tl-tick', style: `left:${this.x(t)}%` }, label));
    }
    this.axis.replaceChildren(...ticks);
  }

  private positionPlayhead(): void {
    const visible = this.playheadMs !== null && this.playheadMs >= this.viewStart && this.playheadMs <= this.viewEnd;
    this.playhead.hidden = !visible;
    if (visible) this.playhead.style.left = `${this.x(this.playheadMs!)}%`;
  }

  private positionSelection(): void {
    this.selection.hidden = !this.selected;
    if (!this.selected) return;
    const left = Math.max(0, this.x(this.selected[0]));
    const right = Math.min(100, this.x(this.selected[1]));
    this.selection.style.left = `${left}%`;
    this.selection.style.width = `${Math.max(0, right - left)}%`;
  }

  private thumbnailNear(instantMs: number): Thumbnail | null {
    let best: Thumbnail | null = null;
    for (const thumbnail of this.data?.thumbnails ?? []) {
      const at = ms(thumbnail.captured_at);
      if (at <= instantMs && (!best || at > ms(best.captured_at))) best = thumbnail;
    }
    return best;
  }

  private attachPointer(): void {
    let downX: number | null = null;
    let downMs = 0;
    let panning = false;
    let panView: [number, number] = [0, 0];
    this.track.addEventListener('wheel', event => {
      event.preventDefault();
      this.zoom(event.deltaY > 0 ? 1.5 : 1 / 1.5, this.instantAt(event.clientX));
    }, { passive: false });
    this.track.addEventListener('pointerdown', event => {
      if ((event.target as HTMLElement).closest('.tl-incident')) return;
      downX = event.clientX;
      downMs = this.instantAt(event.clientX);
      panning = event.button === 1 || event.altKey;
      panView = [this.viewStart, this.viewEnd];
      this.track.setPointerCapture(event.pointerId);
    });
    this.track.addEventListener('pointermove', event => {
      const at = this.instantAt(event.clientX);
      this.showHover(event.clientX, at);
      if (downX === null) return;
      if (panning) {
        const box = this.track.getBoundingClientRect();
        const shift = ((downX - event.clientX) / box.width) * (panView[1] - panView[0]);
        this.setView(panView[0] + shift, panView[1] + shift);
      } else if (Math.abs(event.clientX - downX) > 4) {
        this.setSelection([Math.min(downMs, at), Math.max(downMs, at)]);
      }
    });
    this.track.addEventListener('pointerleave', () => { this.hover.hidden = true; });
    this.track.addEventListener('pointerup', event => {
      if (downX === null) return;
      const moved = Math.abs(event.clientX - downX) > 4;
      const at = this.instantAt(event.clientX);
      const wasPanning = panning;
      downX = null;
      panning = false;
      if (wasPanning) return;
      if (moved) {
        const from = Math.min(downMs, at);
        const to = Math.max(downMs, at);
        this.setSelection([from, to]);
        this.events.onSelect(from, to);
        this.events.onSeek(from);
      } else {
        this.events.onSeek(at);
      }
    });
  }

  private showHover(clientX: number, instantMs: number): void {
    const box = this.track.getBoundingClientRect();
    const thumbnail = this.thumbnailNear(instantMs);
    const children: (HTMLElement | string)[] = [];
    if (thumbnail) children.push(el('img', { src: thumbnail.url, alt: `Still at ${clock(ms(thumbnail.captured_at))}` }));
    children.push(el('span', {}, `${date(instantMs)} ${clock(instantMs, true)}`));
    this.hover.replaceChildren(...children);
    this.hover.hidden = false;
    const x = Math.min(Math.max(clientX - box.left, 90), box.width - 90);
    this.hover.style.left = `${x}px`;
  }
}
