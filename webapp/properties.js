// The Properties panel: every property of one item (PROPFIND allprop), live ones greyed, dead
// ones (any namespace but DAV:) set, changed and removed with PROPPATCH. Values are shown as
// text (textContent); one holding XML shows that XML as text, and is set back as text.
import * as api from './api.js';
import { $, el } from './dom.js';
import { propertyProblem, proppatchBody } from './props.js';

let item = null; // the entry shown

/** Opens the panel for {@code entry}. */
export function showProperties(entry) {
  item = entry;
  const dialog = $('props');
  $('props-name').textContent = entry.name;
  $('props-label').textContent = 'Properties';
  $('props-rows').replaceChildren();
  $('props-problem').textContent = '';
  for (const id of ['prop-ns', 'prop-name', 'prop-value']) {
    $(id).value = '';
  }
  $('props-close').onclick = () => dialog.close();
  $('props-form').onsubmit = (ev) => {
    ev.preventDefault();
    set();
  };
  if (!dialog.open) {
    dialog.showModal();
  }
  $('props-close').focus();
  return refresh();
}

async function refresh() {
  const mine = item;
  try {
    const props = await api.properties(mine.path);
    if (mine === item) {
      $('props-rows').replaceChildren(...props.map(propRow));
      $('props-label').textContent = props.length + ' properties, '
        + props.filter((p) => p.dead).length + ' dead';
    }
  } catch (e) {
    if (mine === item) {
      $('props-problem').textContent = 'Cannot read the properties: ' + e.message;
    }
  }
}

function propRow(p) {
  const actions = el('td', {});
  if (p.dead) {
    const edit = el('button', { type: 'button', class: 'prop-edit' }, 'Edit');
    edit.onclick = () => {
      $('prop-ns').value = p.ns;
      $('prop-name').value = p.name;
      $('prop-value').value = p.value;
      $('prop-value').focus();
    };
    const remove = el('button', { type: 'button', class: 'prop-remove' }, 'Remove');
    remove.onclick = () => patch('remove', p.ns, p.name, '');
    actions.append(edit, ' ', remove);
  }
  return el('tr', { class: p.dead ? 'dead' : 'live', 'data-ns': p.ns, 'data-name': p.name },
    el('td', { class: 'ns' }, p.ns),
    el('td', { class: 'name' }, p.name),
    el('td', { class: 'value' }, p.value),
    actions);
}

function set() {
  const [ns, name, value] = ['prop-ns', 'prop-name', 'prop-value'].map((id) => $(id).value);
  const why = propertyProblem(ns, name, value);
  if (why !== null) {
    $('props-problem').textContent = why;
    return Promise.resolve();
  }
  return patch('set', ns, name, value);
}

async function patch(op, ns, name, value) {
  const mine = item;
  $('props-problem').textContent = '';
  try {
    await api.proppatch(mine.path, proppatchBody(op, ns, name, value));
  } catch (e) {
    if (mine === item) {
      $('props-problem').textContent = 'Cannot ' + op + ' ' + name + ': ' + e.message;
    }
    return;
  }
  if (op === 'set') {
    $('prop-name').value = '';
    $('prop-value').value = '';
  }
  await refresh();
}
