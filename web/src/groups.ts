// Camera groups for administrators: create, rename and delete groups, put cameras in and take them out, and decide who sees
// which groups (an API key, or a user of bearer tokens by name). A key or user nobody limited sees every camera; giving them
// a group limits them to the groups they are given. Every change is the API's (audited there); a refusal becomes a sentence.

import { api, get, post, query } from './api';
import { el, errorText, guarded, showMessage } from './dom';
import { isAdmin } from './session';
import type { Camera, CameraGroup, CameraPage } from './types';

type ApiKey = { id: string; name: string; role: string; revoked_at: string | null };
type Scope = { principal: string; group_ids: string[] | null };

const searchResults = 20;

const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);

export async function groupsView(main: HTMLElement, groupId: string | null): Promise<() => void> {
  if (!isAdmin()) {
    main.replaceChildren(el('h1', {}, 'Camera groups'), el('p', { class: 'error' }, 'Only administrators manage camera groups and who sees them.'));
    return () => {};
  }
  let groups: CameraGroup[];
  try {
    groups = await get<CameraGroup[]>('/api/v1/camera-groups');
  } catch (error) {
    main.replaceChildren(el('h1', {}, 'Camera groups'), el('p', { class: 'error' }, `The groups could not be loaded. ${errorText(error)}`));
    return () => {};
  }
  const name = el('input', { name: 'group_name', placeholder: 'New group name', 'aria-label': 'New group name', 'data-testid': 'new-group-name' });
  const create = el('button', { type: 'submit', 'data-testid': 'create-group' }, 'Create group');
  const form = el('form', { class: 'form-row' }, name, create);
  form.addEventListener('submit', event => {
    event.preventDefault();
    void guarded(create, async () => {
      const created = await post<CameraGroup>('/api/v1/camera-groups', { name: name.value.trim() });
      showMessage(`The group ${created.name} was created.`, 'notice');
      location.hash = `#/groups/${created.id}`;
    });
  });
  const list = el('ul', { class: 'group-list', 'data-testid': 'group-list' }, ...groups.map(g => el('li', {},
    el('a', { href: `#/groups/${g.id}`, class: g.id === groupId ? 'active' : '' }, g.name), el('span', { class: 'muted' }, ` ${g.camera_ids.length} cameras`))));
  const detail = el('section', { class: 'panel', 'data-testid': 'group-detail' });
  main.replaceChildren(el('h1', {}, 'Camera groups'),
    el('p', { class: 'muted' }, 'Groups organise cameras (sites, districts, a shift); a camera may be in several. '
      + 'A key or a user nobody limited sees every camera; once given groups, only their cameras. Administrators see every camera.'),
    el('div', { class: 'groups-layout' }, el('section', { class: 'panel' }, form, groups.length ? list : el('p', { class: 'muted' }, 'No group yet.')), detail));
  const group = groups.find(g => g.id === groupId);
  if (!groupId) detail.replaceChildren(el('p', { class: 'muted' }, 'Choose a group, or create one.'));
  else if (!group) detail.replaceChildren(el('p', { class: 'error' }, 'This group does not exist (any more).'));
  else await groupDetail(detail, group);
  return () => {};
}

async function groupDetail(detail: HTMLElement, group: CameraGroup): Promise<void> {
  const rename = el('input', { name: 'group_rename', value: group.name, 'aria-label': 'Group name', 'data-testid': 'group-rename' });
  const save = el('button', { type: 'submit', 'data-testid': 'save-group-name' }, 'Rename');
  const renameForm = el('form', { class: 'form-row' }, rename, save);
  renameForm.addEventListener('submit', event => {
    event.preventDefault();
    void guarded(save, async () => {
      const renamed = await put<CameraGroup>(`/api/v1/camera-groups/${group.id}`, { name: rename.value.trim() });
      showMessage(`The group is now called ${renamed.name}.`, 'notice');
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
  });
  const remove = el('button', { class: 'danger', type: 'button', 'data-testid': 'delete-group' }, 'Delete group');
  const confirmBox = el('div', { class: 'form-row', hidden: true, 'data-testid': 'confirm-delete' },
    el('span', {}, `Delete ${group.name}? Its cameras stay; whoever is limited to it no longer sees them through it.`),
    el('button', { class: 'danger', type: 'button', 'data-testid': 'confirm-delete-group', onclick: (event: Event) => void guarded(event.currentTarget as HTMLButtonElement, async () => {
      await api('DELETE', `/api/v1/camera-groups/${group.id}`);
      showMessage(`The group ${group.name} was deleted.`, 'notice');
      location.hash = '#/groups';
    }) }, 'Yes, delete it'),
    el('button', { class: 'small', type: 'button', onclick: () => { confirmBox.hidden = true; } }, 'Keep it'));
  remove.addEventListener('click', () => { confirmBox.hidden = false; });

  const members = el('div', { class: 'group-members', 'data-testid': 'group-members' }, el('p', { class: 'muted' }, 'Loading the cameras…'));
  const search = el('input', { type: 'search', name: 'group_camera_search', placeholder: 'Find a camera to add', 'aria-label': 'Find a camera to add', 'data-testid': 'group-camera-search' });
  const found = el('div', { class: 'group-members', 'data-testid': 'group-camera-results' });
  const access = el('div', { 'data-testid': 'group-access' }, el('p', { class: 'muted' }, 'Loading who may see it…'));
  detail.replaceChildren(el('h2', {}, group.name), renameForm, el('div', { class: 'actions' }, remove), confirmBox,
    el('h3', {}, 'Cameras'), members, search, found, el('h3', {}, 'Who may see it'), access);

  let ids = [...group.camera_ids];
  const setCameras = async (next: string[], sentence: string) => {
    const saved = await put<CameraGroup>(`/api/v1/camera-groups/${group.id}`, { camera_ids: next });
    ids = saved.camera_ids;
    showMessage(sentence, 'notice');
    await showMembers();
    await find();
  };
  const showMembers = async () => {
    const page = await get<CameraPage>(`/api/v1/cameras${query({ group: group.id, limit: 1000 })}`);
    members.replaceChildren(...(page.items.length ? page.items.map(camera => el('span', { class: 'member', 'data-testid': 'group-member' },
      el('a', { href: `#/camera/${camera.id}` }, camera.name),
      el('button', { class: 'small', type: 'button', title: `Take ${camera.name} out of this group`, 'data-testid': 'remove-camera',
        onclick: (event: Event) => void guarded(event.currentTarget as HTMLButtonElement,
          () => setCameras(ids.filter(id => id !== camera.id), `${camera.name} was taken out of ${group.name}.`)) }, 'Remove')))
      : [el('p', { class: 'muted' }, 'No camera in this group yet. Find cameras below to add them.')]));
  };
  const find = async () => {
    const text = search.value.trim();
    if (!text) { found.replaceChildren(); return; }
    const page = await get<CameraPage>(`/api/v1/cameras${query({ q: text, limit: searchResults })}`);
    found.replaceChildren(...(page.items.length ? page.items.map((camera: Camera) => el('span', { class: 'member', 'data-testid': 'group-camera-result' },
      camera.name,
      ids.includes(camera.id)
        ? el('span', { class: 'muted' }, ' (in the group)')
        : el('button', { class: 'small', type: 'button', 'data-testid': 'add-camera',
          onclick: (event: Event) => void guarded(event.currentTarget as HTMLButtonElement,
            () => setCameras([...ids, camera.id], `${camera.name} was added to ${group.name}.`)) }, 'Add')))
      : [el('p', { class: 'muted' }, 'No camera matches.')]));
  };
  let typing: number | undefined;
  search.addEventListener('input', () => { window.clearTimeout(typing); typing = window.setTimeout(() => void find().catch(error => showMessage(errorText(error))), 250); });

  try {
    await showMembers();
  } catch (error) {
    members.replaceChildren(el('p', { class: 'error' }, `The cameras could not be loaded. ${errorText(error)}`));
  }
  try {
    await showAccess(access, group);
  } catch (error) {
    access.replaceChildren(el('p', { class: 'error' }, `Who may see it could not be loaded. ${errorText(error)}`));
  }
}

/** Keys and users limited to groups that include this one, and a form to give it to a key or a user. */
async function showAccess(box: HTMLElement, group: CameraGroup): Promise<void> {
  const [scopes, keys] = await Promise.all([get<Scope[]>('/api/v1/access'), get<ApiKey[]>('/api/v1/auth/keys')]);
  const keyNames = new Map(keys.map(k => [k.id, `${k.name} (${k.role})`]));
  const label = (principal: string) => principal.startsWith('key:')
    ? `API key ${keyNames.get(principal.slice(4)) ?? principal.slice(4)}`
    : `User ${principal.slice(5)}`;
  const pathOf = (principal: string) => principal.startsWith('key:')
    ? `/api/v1/access/keys/${encodeURIComponent(principal.slice(4))}`
    : `/api/v1/access/users/${encodeURIComponent(principal.slice(5))}`;
  const reload = () => showAccess(box, group);
  const holders = scopes.filter(s => s.group_ids?.includes(group.id));
  const rows = holders.map(s => el('li', { 'data-testid': 'group-access-entry' }, label(s.principal), ' ',
    el('button', { class: 'small', type: 'button', 'data-testid': 'take-access', onclick: (event: Event) => void guarded(event.currentTarget as HTMLButtonElement, async () => {
      await put(pathOf(s.principal), { group_ids: (s.group_ids ?? []).filter(id => id !== group.id) });
      showMessage(`${label(s.principal)} no longer sees ${group.name}.`, 'notice');
      await reload();
    }) }, 'Take away'),
    ' ',
    el('button', { class: 'small', type: 'button', 'data-testid': 'lift-limit', onclick: (event: Event) => void guarded(event.currentTarget as HTMLButtonElement, async () => {
      await put(pathOf(s.principal), { group_ids: null });
      showMessage(`${label(s.principal)} sees every camera again.`, 'notice');
      await reload();
    }) }, 'See every camera')));

  // admins see everything whatever their limit: only viewers' and operators' keys are offered
  const key = el('select', { name: 'access_key', 'aria-label': 'API key', 'data-testid': 'access-key' }, el('option', { value: '' }, 'An API key…'),
    ...keys.filter(k => !k.revoked_at && k.role !== 'admin').map(k => el('option', { value: k.id }, `${k.name} (${k.role})`)));
  const user = el('input', { name: 'access_user', placeholder: 'or a user name', 'aria-label': 'User name', 'data-testid': 'access-user' });
  const give = el('button', { type: 'submit', 'data-testid': 'give-access' }, 'Give access');
  const form = el('form', { class: 'form-row' }, key, user, give);
  form.addEventListener('submit', event => {
    event.preventDefault();
    void guarded(give, async () => {
      const typed = user.value.trim();
      if (!key.value && !typed) throw new Error('Choose an API key or type a user name first.');
      const principal = key.value ? `key:${key.value}` : `user:${typed}`;
      const current = scopes.find(s => s.principal === principal)?.group_ids ?? [];
      await put(pathOf(principal), { group_ids: [...new Set([...current, group.id])] });
      showMessage(`${label(principal)} now sees ${group.name}${current.length ? ' as well' : ', and only the groups it is given'}.`, 'notice');
      await reload();
    });
  });
  box.replaceChildren(
    holders.length ? el('ul', {}, ...rows) : el('p', { class: 'muted', 'data-testid': 'group-access-none' }, 'No key or user is limited to this group: only those not limited at all (and administrators) see its cameras.'),
    form,
    el('p', { class: 'muted small-text' }, 'Giving a group to a key or user that sees every camera limits them to the groups they are given.'));
}
