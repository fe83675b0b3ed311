// DOM helpers. Names reach the page only as text nodes and attribute values set through the DOM
// (textContent, setAttribute), never through innerHTML, so no name can become markup.

const SVG = 'http://www.w3.org/2000/svg';

/** An element with attributes and children (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') {
      e.className = v;
    } else if (v !== null && v !== undefined && v !== false) {
      e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children) {
    e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

/** An icon from the page's sprite ("folder", "file", "text", "image", "lock"). */
export function icon(name) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'icon ' + name);
  svg.setAttribute('aria-hidden', 'true');
  const use = document.createElementNS(SVG, 'use');
  use.setAttribute('href', '#i-' + name);
  svg.append(use);
  return svg;
}

export const $ = (id) => document.getElementById(id);

let messageTimer = 0;

/** Shows a message under the toolbar; {@code bad} ones stay until the next. */
export function say(text, bad = false) {
  const m = $('message');
  m.textContent = text;
  m.classList.toggle('bad', bad);
  m.hidden = false;
  clearTimeout(messageTimer);
  if (!bad) {
    messageTimer = setTimeout(() => { m.hidden = true; }, 6000);
  }
}

/** Cancel is a plain button, so that Enter in the text field submits the form with OK. */
function wireCancel(dialog) {
  $('ask-cancel').onclick = () => dialog.close('cancel');
}

/**
 * Asks for a line of text in the page's dialog; resolves with it, or null when cancelled.
 * {@code check} returns why a value is not acceptable, or null.
 */
export function ask(question, value, check = () => null) {
  const dialog = $('ask');
  wireCancel(dialog);
  const input = $('ask-input');
  const problem = $('ask-problem');
  $('ask-text').textContent = question;
  input.hidden = false;
  input.value = value;
  problem.textContent = '';
  return new Promise((resolve) => {
    const validate = () => {
      const why = check(input.value);
      problem.textContent = why || '';
      $('ask-ok').disabled = why !== null;
    };
    input.oninput = validate;
    validate();
    dialog.onclose = () => resolve(dialog.returnValue === 'ok' ? input.value : null);
    dialog.returnValue = '';
    dialog.showModal();
    input.focus();
    const dot = value.lastIndexOf('.');
    input.setSelectionRange(0, dot > 0 ? dot : value.length);
  });
}

/** Asks a yes/no question in the page's dialog. */
export function confirmIt(question) {
  const dialog = $('ask');
  wireCancel(dialog);
  $('ask-text').textContent = question;
  $('ask-input').hidden = true;
  $('ask-problem').textContent = '';
  $('ask-ok').disabled = false;
  return new Promise((resolve) => {
    dialog.onclose = () => resolve(dialog.returnValue === 'ok');
    dialog.returnValue = '';
    dialog.showModal();
    $('ask-ok').focus();
  });
}
