// The Operations view: running and recent depth operations of this user (all of them for an
// administrator), as /.depthdav/operations lists them, refreshed while the view is open.
import * as api from './api.js';
import { progressOf, progressText } from './dav.js';
import { $, el } from './dom.js';

const REFRESH_MS = 1000;
let timer = 0;

function opRow(op) {
  const bar = el('progress', { max: 1 });
  const f = progressOf(op);
  if (f !== null) {
    bar.value = f;
  }
  return el('tr', { 'data-id': op.id },
    el('td', {}, op.method),
    el('td', {}, op.path),
    el('td', {}, op.state),
    el('td', {}, bar, ' ', progressText(op)),
    el('td', {}, op.status > 0 ? String(op.status) : ''));
}

async function refresh() {
  try {
    const ops = await api.operations();
    $('ops-rows').replaceChildren(...ops.reverse().map(opRow));
    if (ops.length === 0) {
      $('ops-rows').append(el('tr', {}, el('td', { colspan: 5 }, 'No operation is running or recent.')));
    }
  } catch (e) {
    $('ops-rows').replaceChildren(el('tr', {}, el('td', { colspan: 5 }, 'Cannot list: ' + e.message)));
  }
}

/** Opens (and keeps refreshing) or closes the view. */
export function showOperations(show) {
  $('ops').hidden = !show;
  clearInterval(timer);
  if (show) {
    refresh();
    timer = setInterval(refresh, REFRESH_MS);
  }
}
