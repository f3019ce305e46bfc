// The page: sign-in, then hash routes for each view. Only the view in front runs timers and players.

import { get, loadCredential, saveCredential, type Credential } from './api';
import { el, errorText, clearMessage } from './dom';
import { camerasView } from './cameras';
import { cameraView } from './camera';
import { incidentsView, incidentView } from './incidents';
import { searchView } from './search';
import { exportsView } from './exports';
import { wallView } from './wall';
import { liveWallView, parseWall } from './livewall';
import { accessView } from './access';
import { groupsView } from './groups';
import { ms } from './time';
import { isAdmin, setMe, type Me } from './session';

const main = document.getElementById('main')!;
let leave: () => void = () => {};

function signInView(reason?: string): void {
  const kind = el('select', { name: 'kind' }, el('option', { value: 'key' }, 'API key'), el('option', { value: 'bearer' }, 'Bearer token'));
  const secret = el('input', { type: 'password', name: 'secret', autocomplete: 'off', placeholder: 'Paste your key or token', 'data-testid': 'api-key' });
  const error = el('p', { class: 'error' }, reason ?? '');
  const form = el('form', { class: 'panel signin' },
    el('h1', {}, 'Sign in'),
    el('p', { class: 'muted' }, 'Use the API key or the bearer token you were given. It is kept in this browser tab only.'),
    kind, secret, el('button', { type: 'submit' }, 'Sign in'), error);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const credential: Credential = { kind: kind.value as Credential['kind'], value: secret.value.trim() };
    if (!credential.value) { error.textContent = 'Paste a key or a token first.'; return; }
    saveCredential(credential);
    try {
      await whoAmI();
      await route();
    } catch (failure) {
      saveCredential(null);
      error.textContent = errorText(failure);
    }
  });
  document.getElementById('nav')!.hidden = true;
  main.replaceChildren(form);
  secret.focus();
}

async function whoAmI(): Promise<Me> {
  const me = await get<Me>('/api/v1/auth/me');
  setMe(me);
  document.getElementById('who')!.textContent = `${me.name} (${me.roles.join(', ')})`;
  document.getElementById('sign-out')!.hidden = false;
  document.getElementById('nav')!.hidden = false;
  document.getElementById('nav-access')!.hidden = !isAdmin();
  document.getElementById('nav-groups')!.hidden = !isAdmin();
  return me;
}

async function route(): Promise<void> {
  leave();
  leave = () => {};
  clearMessage();
  if (!loadCredential()) { signInView(); return; }
  const address = location.hash.replace(/^#\/?/, '');
  // the live wall keeps its group and page in a query after the path
  const [path, search = ''] = address.startsWith('live') ? address.split('?') : [address];
  const parts = path.split('/').map(decodeURIComponent);
  const [page, id, extra, at] = parts;
  // One camera belongs under Cameras, one incident under Incidents.
  const section = ({ camera: 'cameras', incident: 'incidents', '': 'cameras' } as Record<string, string>)[page] ?? page;
  document.querySelectorAll('#nav a').forEach(a => a.classList.toggle('active', (a as HTMLAnchorElement).hash === `#/${section}`));
  main.dataset.page = page || 'cameras';
  try {
    switch (page) {
      case 'camera': leave = await cameraView(main, id, extra === 'at' && at ? ms(at) : null); break;
      case 'wall': leave = await wallView(main, id ? id.split(',').filter(Boolean) : []); break;
      case 'live': leave = await liveWallView(main, parseWall(id, extra, search)); break;
      case 'incidents': leave = await incidentsView(main); break;
      case 'incident': leave = await incidentView(main, id); break;
      case 'search': leave = await searchView(main, id ?? ''); break;
      case 'exports': leave = await exportsView(main, id ?? null); break;
      case 'access': leave = await accessView(main, id ?? null); break;
      case 'groups': leave = await groupsView(main, id ?? null); break;
      default: leave = await camerasView(main);
    }
  } catch (failure) {
    main.replaceChildren(el('p', { class: 'error' }, `This page could not be shown. ${errorText(failure)}`));
  }
}

document.getElementById('sign-out')!.addEventListener('click', () => {
  saveCredential(null);
  setMe(null);
  document.getElementById('who')!.textContent = '';
  document.getElementById('sign-out')!.hidden = true;
  leave();
  leave = () => {};
  signInView();
});
window.addEventListener('hashchange', () => void route());
document.getElementById('message')!.addEventListener('click', () => clearMessage());

async function start(): Promise<void> {
  if (!loadCredential()) { signInView(); return; }
  try {
    await whoAmI();
  } catch (failure) {
    saveCredential(null);
    signInView(errorText(failure));
    return;
  }
  await route();
}
void start();
