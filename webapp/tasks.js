// The transfers panel: uploads with a bar each and one overall, and long server operations
// (respond-async COPY, MOVE, DELETE) followed at /.depthdav/operations/ID until they finish.
import * as api from './api.js';
import { childPath, formatSize, progressOf, progressText, explainStatus } from './dav.js';
import { $, el } from './dom.js';

const POLL_MS = 250;
const uploads = new Set(); // {size, loaded} of uploads running or queued

/** A row of the panel: a label, a bar, an optional Cancel, and a state line. */
function taskRow(label, onCancel) {
  $('transfers').hidden = false;
  const bar = el('progress', { max: 1 });
  const state = el('span', { class: 'state' }, 'waiting');
  const cancel = el('button', { type: 'button' }, 'Cancel');
  cancel.hidden = !onCancel;
  cancel.onclick = onCancel;
  const li = el('li', { class: 'task' }, el('span', { class: 'what', title: label }, label),
    bar, cancel, state);
  $('tasks').prepend(li);
  return { li, bar, state, cancel };
}

function updateOverall() {
  let size = 0;
  let loaded = 0;
  for (const u of uploads) {
    size += u.size;
    loaded += u.loaded;
  }
  $('overall').hidden = uploads.size === 0;
  $('overall-bar').value = size === 0 ? 0 : loaded / size;
  $('overall-text').textContent = uploads.size === 0 ? ''
    : formatSize(loaded) + ' of ' + formatSize(size) + ' in ' + uploads.size + ' file(s)';
}

/**
 * Uploads files into {@code folder}, creating the folders their relative paths name (a picked
 * or dropped folder) first; one PUT at a time, so each bar moves in turn. {@code done} is
 * called when all have ended. Items: {file, relative} with relative "a/b/name".
 */
export async function uploadAll(folder, items, done) {
  const made = new Set();
  const queue = items.map((it) => {
    const row = { size: it.file.size, loaded: 0, cancelled: false, handle: null };
    row.view = taskRow('upload ' + it.relative, () => {
      row.cancelled = true;
      if (row.handle) {
        row.handle.abort();
      }
    });
    uploads.add(row);
    return { it, row };
  });
  updateOverall();
  for (const { it, row } of queue) {
    const v = row.view;
    try {
      if (row.cancelled) {
        throw new Error('cancelled');
      }
      const parts = it.relative.split('/');
      let dir = folder;
      for (const p of parts.slice(0, -1)) {
        dir = childPath(dir, p, true);
        if (!made.has(dir)) {
          await api.mkcol(dir).catch((e) => { if (e.status !== 405) throw e; });
          made.add(dir);
        }
      }
      v.state.textContent = 'uploading';
      row.handle = api.upload(childPath(dir, parts[parts.length - 1], false), it.file,
        (loaded, total) => {
          row.loaded = loaded;
          v.bar.value = total > 0 ? loaded / total : 1;
          v.state.textContent = formatSize(loaded) + ' of ' + formatSize(total);
          updateOverall();
        });
      await row.handle.promise;
      v.bar.value = 1;
      v.state.textContent = 'uploaded, ' + formatSize(it.file.size);
      v.li.classList.add('ok');
    } catch (e) {
      v.state.textContent = 'failed: ' + e.message;
      v.li.classList.add('failed');
    } finally {
      v.cancel.hidden = true;
      uploads.delete(row);
      updateOverall();
    }
  }
  done();
}

/** Shows the members a 207 names as failed, under the task's row. */
function showFailed(v, failed) {
  if (failed.length === 0) {
    return;
  }
  v.li.append(el('ul', { class: 'failed-members' }, ...failed.map((f) =>
    el('li', {}, (f.path || f.href) + ': ' + explainStatus(f.status)
      + (f.error ? ' (' + f.error + ')' : '')))));
}

/**
 * Runs a COPY, MOVE or DELETE ({@code start} returns the api's answer) and shows it: at once
 * when the server answered at once, else following its operation until it ends. Resolves when
 * it has ended, whatever the outcome.
 */
export async function follow(label, start) {
  const v = taskRow(label, null);
  v.li.classList.add('operation');
  v.bar.removeAttribute('value'); // indeterminate until the server says how far it is
  let outcome;
  try {
    outcome = await start();
    if (outcome.operation) {
      outcome = await poll(outcome.operation, v);
    }
  } catch (e) {
    v.state.textContent = 'failed: ' + e.message;
    v.li.classList.add('failed');
    return;
  }
  v.bar.value = 1;
  const ok = outcome.status >= 200 && outcome.status < 300 && outcome.status !== 207;
  v.li.classList.add(ok ? 'ok' : 'failed');
  v.state.textContent = (ok ? 'done: ' : 'finished with ') + explainStatus(outcome.status)
    + (outcome.failed && outcome.failed.length > 0 ? ', ' + outcome.failed.length
      + ' member(s) failed' : '') + (outcome.detail ? ' ' + outcome.detail : '');
  showFailed(v, outcome.failed || []);
}

async function poll(url, v) {
  v.li.setAttribute('data-operation', url);
  for (;;) {
    const op = await api.operation(url);
    const f = progressOf(op);
    if (f === null) {
      v.bar.removeAttribute('value');
    } else {
      v.bar.value = f;
    }
    v.state.textContent = progressText(op);
    if (op.state === 'done' || op.state === 'failed') {
      return api.operationResult(url);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Removes the rows of finished tasks; hides the panel when nothing is left. */
export function clearFinished() {
  for (const li of document.querySelectorAll('#tasks > li.ok, #tasks > li.failed')) {
    li.remove();
  }
  $('transfers').hidden = $('tasks').children.length === 0;
}
