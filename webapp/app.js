// The folder view: the page's URL is the folder's, so links, reload and the back button work.
// It lists the folder with PROPFIND, renders only the rows in sight, and changes things with
// WebDAV methods (api.js); long ones show their progress (tasks.js).
import * as api from './api.js';
import {
  childPath, comparator, encodePath, filterByName, folderOf, formatDate, formatSize, kindOf,
  nameProblem, parentOf, segments,
} from './dav.js';
import { $, ask, confirmIt, el, icon, say } from './dom.js';
import { clearFinished, follow, uploadAll } from './tasks.js';
import { showOperations } from './operations.js';
import { previewKind } from './preview.js';
import { showProperties } from './properties.js';
import { preview } from './viewer.js';

const ROW = 32; // px, as --row in app.css
const SPARE = 20; // rows rendered above and below the visible ones

const state = {
  folder: folderOf(location.pathname),
  all: [], // the folder's members as listed
  shown: [], // filtered and sorted
  sort: { key: 'name', ascending: true },
  selected: new Set(), // paths
  focus: -1, // index into shown
  loading: false, // while a listing streams in
};

// ---- Loading and rendering.

let listing = null; // the AbortController of the listing being read

async function load(keepSelection = false) {
  document.title = state.folder + ' - depthdav';
  renderCrumbs();
  if (listing) {
    listing.abort();
  }
  const mine = new AbortController();
  listing = mine;
  const all = [];
  let shownAt = 0;
  state.loading = true;
  if (!keepSelection) {
    // Another folder: nothing of the last one stays on screen while this one arrives.
    state.selected.clear();
    state.focus = -1;
    state.all = all;
    arrange();
  }
  try {
    await api.list(state.folder, (members) => {
      if (mine.signal.aborted) {
        return;
      }
      all.push(...members);
      // The first rows at once, then at most four times a second while the rest arrives.
      if (shownAt === 0 || performance.now() - shownAt > 250) {
        state.all = all;
        arrange();
        if (shownAt === 0) {
          performance.mark('depthdav:first-rows');
        }
        shownAt = performance.now();
      }
    }, mine.signal);
  } catch (e) {
    if (mine.signal.aborted) {
      return;
    }
    say('Cannot list ' + state.folder + ': ' + e.message, true);
  }
  if (mine.signal.aborted) {
    return;
  }
  state.all = all;
  state.loading = false;
  performance.mark('depthdav:fetched');
  const present = new Set(all.map((e) => e.path));
  for (const p of [...state.selected]) {
    if (!present.has(p)) {
      state.selected.delete(p);
    }
  }
  arrange();
  // For measuring: when the listing arrived and when its rows were on screen.
  performance.mark('depthdav:listed');
}

/** Filters and sorts the listing, then renders. */
function arrange() {
  const focused = state.shown[state.focus];
  state.shown = filterByName(state.all, $('filter').value)
    .sort(comparator(state.sort.key, state.sort.ascending));
  state.focus = focused ? state.shown.findIndex((e) => e.path === focused.path) : -1;
  for (const b of document.querySelectorAll('#table th button')) {
    if (b.dataset.sort === state.sort.key) {
      b.parentElement.setAttribute('aria-sort', state.sort.ascending ? 'ascending' : 'descending');
    } else {
      b.parentElement.removeAttribute('aria-sort');
    }
  }
  $('empty').hidden = state.loading || state.all.length !== 0;
  const files = state.all.filter((e) => !e.collection);
  $('count').textContent = (state.loading ? 'loading… ' : '') + state.all.length + ' item(s), ' + files.length + ' file(s) of '
    + formatSize(files.reduce((s, e) => s + (e.size || 0), 0))
    + (state.shown.length !== state.all.length ? '; ' + state.shown.length + ' shown' : '');
  render();
  updateButtons();
}

function renderCrumbs() {
  const nav = $('crumbs');
  nav.replaceChildren();
  const parts = segments(state.folder);
  const link = (text, path) => {
    const a = el('a', { href: encodePath(path) }, text);
    a.onclick = (ev) => { ev.preventDefault(); go(path); };
    return a;
  };
  nav.append(parts.length === 0 ? el('span', { class: 'here' }, 'Home') : link('Home', '/'));
  let path = '/';
  parts.forEach((p, i) => {
    path = childPath(path, p, true);
    nav.append(el('span', { class: 'sep' }, '/'));
    nav.append(i === parts.length - 1 ? el('span', { class: 'here' }, p) : link(p, path));
  });
}

/** Renders the rows in sight, between two spacers that stand for the others. */
function render() {
  const scroller = $('scroller');
  const total = state.shown.length;
  const first = Math.max(0, Math.floor(scroller.scrollTop / ROW) - SPARE);
  const last = Math.min(total, Math.ceil((scroller.scrollTop + scroller.clientHeight) / ROW) + SPARE);
  const rows = [spacer(first * ROW)];
  for (let i = first; i < last; i++) {
    rows.push(row(state.shown[i], i));
  }
  rows.push(spacer((total - last) * ROW));
  $('rows').replaceChildren(...rows);
}

function spacer(height) {
  const td = el('td', { class: 'spacer', colspan: 5 });
  const tr = el('tr', { class: 'spacer', 'aria-hidden': 'true' }, td);
  tr.style.height = height + 'px'; // CSSOM, which the CSP allows (no style attribute in markup)
  tr.hidden = height === 0;
  return tr;
}

function row(e, i) {
  const href = encodePath(e.path);
  const name = el('a', { href, class: 'name' }, e.name);
  if (!e.collection) {
    name.setAttribute('download', e.name);
  }
  name.onclick = (ev) => {
    if (e.collection) {
      ev.preventDefault();
      go(e.path);
    }
  };
  const nameCell = el('td', { class: 'c-name' }, name);
  if (e.locks.length > 0) {
    const lock = icon('lock');
    nameCell.append(lock);
    nameCell.title = 'locked by ' + (e.locks.filter((o) => o).join(', ') || 'someone');
  }
  const tr = el('tr', {
    class: 'entry' + (state.selected.has(e.path) ? ' selected' : '') + (i === state.focus ? ' focused' : ''),
    'data-index': i,
    'aria-selected': state.selected.has(e.path) ? 'true' : 'false',
  },
  el('td', { class: 'c-icon' }, icon(kindOf(e))),
  nameCell,
  el('td', { class: 'c-size' }, e.collection ? '' : formatSize(e.size)),
  el('td', { class: 'c-modified' }, formatDate(e.modified)),
  el('td', { class: 'c-type' }, e.collection ? 'folder' : e.type.split(';')[0]));
  tr.onclick = (ev) => {
    if (ev.target.closest('a')) {
      return;
    }
    select(i, ev.ctrlKey || ev.metaKey, ev.shiftKey);
  };
  tr.ondblclick = () => open(e);
  return tr;
}

// ---- Navigation, selection and the keyboard.

function go(folder, push = true) {
  state.folder = folderOf(encodePath(folder));
  if (push) {
    history.pushState(null, '', encodePath(state.folder));
  }
  $('filter').value = '';
  $('scroller').scrollTop = 0;
  $('message').hidden = true;
  load();
}

/** Opens a folder, previews a file whose type has a preview, downloads any other. */
function open(e) {
  if (e.collection) {
    go(e.path);
  } else if (!preview(e)) {
    location.href = encodePath(e.path);
  }
}

function select(i, toggle, range) {
  const e = state.shown[i];
  if (!e) {
    return;
  }
  if (range && state.focus >= 0) {
    const [a, b] = [Math.min(i, state.focus), Math.max(i, state.focus)];
    for (let k = a; k <= b; k++) {
      state.selected.add(state.shown[k].path);
    }
  } else if (toggle) {
    if (!state.selected.delete(e.path)) {
      state.selected.add(e.path);
    }
  } else {
    state.selected = new Set([e.path]);
  }
  state.focus = i;
  render();
  updateButtons();
}

function moveFocus(i) {
  if (state.shown.length === 0) {
    return;
  }
  const k = Math.max(0, Math.min(state.shown.length - 1, i));
  select(k, false, false);
  const s = $('scroller');
  const head = $('table').tHead.offsetHeight;
  if ((k + 1) * ROW + head > s.scrollTop + s.clientHeight) {
    s.scrollTop = (k + 1) * ROW + head - s.clientHeight;
  } else if (k * ROW < s.scrollTop) {
    s.scrollTop = k * ROW;
  }
  render();
}

function onKey(ev) {
  if (ev.target.closest('input, dialog, button') && ev.target.id !== 'scroller') {
    if (ev.key === 'ArrowDown' && ev.target.id === 'filter') {
      $('scroller').focus();
      moveFocus(0);
      ev.preventDefault();
    }
    return;
  }
  const page = Math.max(1, Math.floor($('scroller').clientHeight / ROW) - 1);
  const keys = {
    ArrowDown: () => moveFocus(state.focus + 1),
    ArrowUp: () => moveFocus(state.focus - 1),
    PageDown: () => moveFocus(state.focus + page),
    PageUp: () => moveFocus(state.focus - page),
    Home: () => moveFocus(0),
    End: () => moveFocus(state.shown.length - 1),
    Enter: () => state.shown[state.focus] && open(state.shown[state.focus]),
    Backspace: () => state.folder !== '/' && go(parentOf(state.folder)),
    Delete: () => removeSelected(),
    F2: () => rename(),
  };
  if (keys[ev.key]) {
    ev.preventDefault();
    keys[ev.key]();
  }
}

function selection() {
  return state.all.filter((e) => state.selected.has(e.path));
}

function updateButtons() {
  const n = state.selected.size;
  $('rename').disabled = n !== 1;
  const [one] = selection();
  $('show-preview').disabled = n !== 1 || !one || previewKind(one) === null;
  $('show-props').disabled = n !== 1;
  $('break-lock').disabled = n !== 1 || !one || one.lockTokens.length === 0;
  for (const id of ['copy', 'move', 'delete']) {
    $(id).disabled = n === 0;
  }
}

// ---- Changes.

async function newFolder() {
  const name = await ask('Name of the new folder', 'New folder', nameProblem);
  if (name === null) {
    return;
  }
  try {
    await api.mkcol(childPath(state.folder, name, true));
    say('Created ' + name);
  } catch (e) {
    say('Cannot create ' + name + ': ' + e.message, true);
  }
  await load(true);
}

async function rename() {
  const [e] = selection();
  if (!e || state.selected.size !== 1) {
    return;
  }
  const name = await ask('New name for ' + e.name, e.name, (v) => nameProblem(v)
    || (v === e.name ? 'the same name' : null));
  if (name === null) {
    return;
  }
  const to = childPath(state.folder, name, e.collection);
  await follow('rename ' + e.name + ' to ' + name,
    () => api.transfer('MOVE', e.path, to, e.collection));
  state.selected = new Set([to]);
  await load(true);
}

/** Copies or moves the selection into a folder the user names (relative to this one, or /...). */
async function transferSelected(method) {
  const items = selection();
  if (items.length === 0) {
    return;
  }
  const verb = method === 'COPY' ? 'Copy' : 'Move';
  const answer = await ask(verb + ' ' + (items.length === 1 ? items[0].name : items.length + ' items')
    + ' into the folder (a path from / or a name here)', state.folder,
  (v) => (v.trim() === '' ? 'name a folder' : null));
  if (answer === null) {
    return;
  }
  const target = folderOf(encodePath(answer.startsWith('/') ? answer : childPath(state.folder, answer, true)));
  await Promise.all(items.map((e) => follow(verb.toLowerCase() + ' ' + e.name + ' into ' + target,
    () => api.transfer(method, e.path, childPath(target, e.name, e.collection), e.collection))));
  await load(true);
}

async function removeSelected() {
  const items = selection();
  if (items.length === 0) {
    return;
  }
  const what = items.length === 1 ? '"' + items[0].name + '"' + (items[0].collection
    ? ' and everything in it' : '') : items.length + ' items';
  if (!(await confirmIt('Delete ' + what + '? This cannot be undone.'))) {
    return;
  }
  await Promise.all(items.map((e) => follow('delete ' + e.name,
    () => api.remove(e.path, e.collection))));
  await load(false);
}

/** Breaks every lock on the selected item, after a confirmation. */
async function breakLocks() {
  const [e] = selection();
  if (!e || state.selected.size !== 1 || e.lockTokens.length === 0) {
    return;
  }
  const owners = e.locks.filter((o) => o).join(', ') || 'someone';
  if (!(await confirmIt('Break the lock on "' + e.name + '" held by ' + owners
    + '? Its holder can then no longer count on it.'))) {
    return;
  }
  try {
    for (const token of e.lockTokens) {
      await api.breakLock(token);
    }
    say('Broke the lock on ' + e.name);
  } catch (err) {
    say('Cannot break the lock on ' + e.name + ': ' + err.message, true);
  }
  await load(true);
}

// ---- Uploads: the pickers and drag and drop.

function uploadFiles(items) {
  if (items.length === 0) {
    return;
  }
  const folder = state.folder;
  uploadAll(folder, items, () => {
    if (state.folder === folder) {
      load(true);
    }
  });
}

function picked(input, relative) {
  const items = [...input.files].map((f) => ({ file: f, relative: relative(f) }));
  input.value = '';
  uploadFiles(items);
}

/** The files under a dropped entry (File and Directory Entries API), with relative paths. */
async function walk(entry, prefix, out) {
  if (entry.isFile) {
    const file = await new Promise((res, rej) => entry.file(res, rej));
    out.push({ file, relative: prefix + file.name });
    return;
  }
  const reader = entry.createReader();
  for (;;) {
    const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
    if (batch.length === 0) {
      break;
    }
    for (const child of batch) {
      await walk(child, prefix + entry.name + '/', out);
    }
  }
}

async function dropped(ev) {
  ev.preventDefault();
  $('drop').hidden = true;
  const entries = [...ev.dataTransfer.items].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry())
    .filter((x) => x);
  const items = [];
  if (entries.length > 0) {
    for (const entry of entries) {
      await walk(entry, '', items);
    }
  } else {
    for (const f of ev.dataTransfer.files) {
      items.push({ file: f, relative: f.name });
    }
  }
  uploadFiles(items);
}

function wireDrop() {
  let depth = 0;
  document.addEventListener('dragenter', (ev) => {
    if (ev.dataTransfer.types.includes('Files')) {
      depth++;
      $('drop').hidden = false;
    }
  });
  document.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    $('drop').hidden = depth === 0;
  });
  document.addEventListener('dragover', (ev) => ev.preventDefault());
  document.addEventListener('drop', (ev) => {
    depth = 0;
    dropped(ev);
  });
}

// ---- Wiring.

function start() {
  $('new-folder').onclick = newFolder;
  $('rename').onclick = rename;
  $('show-preview').onclick = () => selection().slice(0, 1).forEach(preview);
  $('show-props').onclick = () => selection().slice(0, 1).forEach(showProperties);
  $('copy').onclick = () => transferSelected('COPY');
  $('move').onclick = () => transferSelected('MOVE');
  $('delete').onclick = removeSelected;
  $('break-lock').onclick = breakLocks;
  $('show-ops').onclick = () => showOperations(true);
  $('clear-tasks').onclick = clearFinished;
  $('hide-ops').onclick = () => showOperations(false);
  $('pick-files').onchange = (ev) => picked(ev.target, (f) => f.name);
  $('pick-folder').onchange = (ev) => picked(ev.target, (f) => f.webkitRelativePath || f.name);
  $('filter').oninput = () => { $('scroller').scrollTop = 0; arrange(); };
  for (const b of document.querySelectorAll('#table th button')) {
    b.onclick = () => {
      const key = b.dataset.sort;
      state.sort = { key, ascending: state.sort.key === key ? !state.sort.ascending : true };
      arrange();
    };
  }
  let pending = false;
  $('scroller').addEventListener('scroll', () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(() => { pending = false; render(); });
    }
  });
  window.addEventListener('resize', render);
  window.addEventListener('popstate', () => go(folderOf(location.pathname), false));
  document.addEventListener('keydown', onKey);
  wireDrop();
  load();
  $('scroller').focus();
}

start();
