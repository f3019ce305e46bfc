// "Copy link": a playlist link of the live picture or of a range that any player opens without a key (VLC, Safari, ffmpeg,
// GStreamer), made through the API for a chosen time. It names who made it, and its use is audited by the server.

import { post } from './api';
import { el, guarded, showMessage } from './dom';
import { dateTime, iso } from './time';

type Link = { id: string; url: string; expires_at: string; live: boolean; created_by: string };

const lifetimes: [string, string][] = [['PT1H', '1 hour'], ['PT4H', '4 hours'], ['P1D', '1 day'], ['P7D', '7 days']];

/** A "Copy link" control; what() says what to share when it is pressed: the live picture, or a range. */
export function shareControl(cameraId: string, what: () => { from: number; to: number } | 'live'): HTMLElement {
  const lifetime = el('select', { name: 'link_lifetime', title: 'How long the link works', 'data-testid': 'link-lifetime' },
    ...lifetimes.map(([value, label]) => el('option', { value, selected: value === 'PT4H' }, label)));
  const shown = el('input', { readonly: true, class: 'shared-link', 'data-testid': 'shared-link', hidden: true, 'aria-label': 'Shared link' });
  const button = el('button', { 'data-testid': 'copy-link', title: 'A link any video player can open, without your key' }, 'Copy link');
  button.addEventListener('click', () => guarded(button, async () => {
    const subject = what();
    const body = subject === 'live' ? { lifetime: lifetime.value } : { from: iso(subject.from), to: iso(subject.to), lifetime: lifetime.value };
    const link = await post<Link>(`/api/v1/playback/${cameraId}/links`, body);
    // the server's answer is built from what it was asked; the page's own address is the one people reach it by
    const url = new URL(new URL(link.url).pathname, location.origin).toString();
    shown.value = url;
    shown.hidden = false;
    shown.select();
    let copied = true;
    try { await navigator.clipboard.writeText(url); } catch { copied = false; }
    showMessage(`${copied ? 'Link copied' : 'Link made (copy it from the box)'}: ${link.live ? 'the live picture' : 'this footage'} in any player, until ${dateTime(Date.parse(link.expires_at))}. It names you, and each use is recorded.`, 'notice');
  }));
  return el('span', { class: 'share' }, button, lifetime, shown);
}
