// Instants on the wire are ISO 8601 UTC; on screen they are the browser's local time.

export const iso = (ms: number) => new Date(ms).toISOString();
export const ms = (text: string) => Date.parse(text);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function clock(msValue: number, withTenths = false): string {
  const d = new Date(msValue);
  const text = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withTenths ? `${text}.${Math.floor(d.getMilliseconds() / 100)}` : text;
}

export function date(msValue: number): string {
  const d = new Date(msValue);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export const dateTime = (msValue: number) => `${date(msValue)} ${clock(msValue)}`;

export function ago(msValue: number, now = Date.now()): string {
  const seconds = Math.round((now - msValue) / 1000);
  if (seconds < 60) return `${Math.max(seconds, 0)} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

/** A value for an <input type="datetime-local"> (local time) and back. */
export function toLocalInput(msValue: number): string {
  return `${date(msValue)}T${clock(msValue)}`;
}
export function fromLocalInput(value: string): number {
  return new Date(value).getTime();
}
