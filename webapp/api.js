// The page's only way to the server: WebDAV methods, and the operations endpoint for progress.
// Credentials are the browser's own (its Basic prompt); nothing here ever sees a password.
import {
  MultistatusReader, PROPFIND_BODY, encodePath, explainStatus, lockBreakUrl, membersOf,
  parseMultistatus,
} from './dav.js';
import { PREVIEW_BYTES, PREVIEW_RANGE, totalLength } from './preview.js';
import { ALLPROP_BODY, patchFailures, parseProperties } from './props.js';

const OPERATIONS = '/.depthdav/operations';

/** An error carrying the status of the answer and the server's one-line reason. */
export class DavFailure extends Error {
  constructor(status, detail) {
    super(explainStatus(status) + (detail ? ': ' + detail : ''));
    this.status = status;
  }
}

async function failure(resp) {
  let detail = '';
  try {
    const text = await resp.text();
    // Our error bodies are one line ("409 Conflict: ..."); XML errors name their element;
    // the endpoints under /.depthdav/ answer JSON with an "error".
    detail = text.startsWith('<') ? (/<[^>]*:([a-z-]+)\s*\/>/.exec(text) || ['', ''])[1]
      : text.startsWith('{') ? String(JSON.parse(text).error || '')
        : text.split('\n')[0].replace(/^\d{3} [^:]*: /, '');
  } catch (e) {
    detail = '';
  }
  return new DavFailure(resp.status, detail.slice(0, 300));
}

/** Sends one request; throws a DavFailure unless the status is one of {@code ok}. */
async function send(method, path, headers, body, ok) {
  const resp = await fetch(encodePath(path), { method, headers, body, credentials: 'same-origin' });
  if (!ok.includes(resp.status)) {
    throw await failure(resp);
  }
  return resp;
}

/**
 * The members of a folder (PROPFIND, Depth 1), read as the answer streams: {@code onMembers}
 * gets each batch of members as soon as their responses are complete, so a huge folder shows
 * its first rows long before its last arrive. {@code signal} aborts the request.
 */
export async function list(folder, onMembers, signal) {
  const resp = await fetch(encodePath(folder), {
    method: 'PROPFIND',
    headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' },
    body: PROPFIND_BODY,
    credentials: 'same-origin',
    signal,
  });
  if (resp.status !== 207) {
    throw await failure(resp);
  }
  const reader = new MultistatusReader();
  const decoder = new TextDecoder();
  const body = resp.body.getReader();
  for (;;) {
    const { done, value } = await body.read();
    const entries = done ? [...reader.push(decoder.decode()), ...reader.end()]
      : reader.push(decoder.decode(value, { stream: true }));
    const members = membersOf(entries, folder);
    if (members.length > 0) {
      onMembers(members);
    }
    if (done) {
      return;
    }
  }
}

export async function mkcol(path) {
  await send('MKCOL', path, {}, undefined, [201]);
}

/** The absolute URL of a path, as Destination needs it (RFC 4918 §10.3). */
function destination(path) {
  return location.origin + encodePath(path);
}

/**
 * COPY or MOVE {@code from} to {@code to}, never overwriting. With {@code async} the server is
 * asked to answer at once (RFC 7240 respond-async); the result is then {status, operation}
 * where operation is the URL to follow, else {status}.
 */
export async function transfer(method, from, to, async) {
  const headers = { Destination: destination(to), Overwrite: 'F', Depth: 'infinity' };
  return finish(await send(method, from, withAsync(headers, async), undefined,
    [201, 202, 204, 207]));
}

/** DELETE, asynchronously when asked. */
export async function remove(path, async) {
  return finish(await send('DELETE', path, withAsync({}, async), undefined, [200, 202, 204, 207]));
}

function withAsync(headers, async) {
  return async ? { ...headers, Prefer: 'respond-async' } : headers;
}

async function finish(resp) {
  if (resp.status === 202) {
    return { status: 202, operation: resp.headers.get('Location') };
  }
  return { status: resp.status, failed: resp.status === 207 ? failedMembers(await resp.text()) : [] };
}

/** The members a 207 names with a status other than 2xx (RFC 4918 §9.6.1, §9.8.8). */
function failedMembers(text) {
  return parseMultistatus(text).filter((r) => r.status < 200 || r.status > 299);
}

/**
 * The start of a file for its preview: a GET of the first 64 KiB (a server that ignores Range
 * answers 200 with all of it, which is cut here) and the file's whole length.
 */
export async function readStart(path) {
  const resp = await send('GET', path, { Range: PREVIEW_RANGE }, undefined, [200, 206]);
  const bytes = new Uint8Array(await resp.arrayBuffer());
  const total = totalLength(resp.status, resp.headers.get('Content-Range'), bytes.length);
  return { bytes: bytes.subarray(0, PREVIEW_BYTES), total };
}

const XML = 'application/xml; charset=utf-8';

/** Every property of one resource, live and dead (PROPFIND Depth 0 with allprop). */
export async function properties(path) {
  const resp = await send('PROPFIND', path, { Depth: '0', 'Content-Type': XML }, ALLPROP_BODY,
    [207]);
  return parseProperties(await resp.text());
}

/** Sends a PROPPATCH body; throws with what the 207 says unless every property was done. */
export async function proppatch(path, body) {
  const resp = await send('PROPPATCH', path, { 'Content-Type': XML }, body, [200, 207]);
  const failed = resp.status === 207 ? patchFailures(await resp.text()) : [];
  if (failed.length > 0) {
    throw new Error(failed.join('; '));
  }
}

/**
 * Breaks a lock by its token (DELETE on the locks endpoint): one's own, or any for an
 * administrator; a DavFailure with the server's reason (403) otherwise.
 */
export async function breakLock(token) {
  const resp = await fetch(lockBreakUrl(token), { method: 'DELETE', credentials: 'same-origin' });
  if (resp.status !== 200) {
    throw await failure(resp);
  }
}

/** The state of one operation (the JSON of /.depthdav/operations/ID). */
export async function operation(url) {
  const resp = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  if (!resp.ok) {
    throw await failure(resp);
  }
  return resp.json();
}

/** The final status of a finished respond-async operation and its failed members. */
export async function operationResult(url) {
  const resp = await fetch(url + '/result', { credentials: 'same-origin', cache: 'no-store' });
  if (resp.status === 207) {
    return { status: 207, failed: failedMembers(await resp.text()) };
  }
  return { status: resp.status, failed: [], detail: resp.ok ? '' : (await failure(resp)).message };
}

/** Running and recent operations. */
export async function operations() {
  return (await operation(OPERATIONS)).operations;
}

/**
 * PUT of one File with progress. XMLHttpRequest, because fetch reports no upload progress; the
 * browser streams the File from disk, it is never read into the page's memory. Returns
 * {promise, abort}; the promise resolves with the status or rejects with a DavFailure.
 */
export function upload(path, file, onProgress) {
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    xhr.open('PUT', encodePath(path));
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status === 201 || xhr.status === 204) {
        onProgress(file.size, file.size);
        resolve(xhr.status);
      } else {
        const line = (xhr.responseText || '').split('\n')[0].replace(/^\d{3} [^:]*: /, '');
        reject(new DavFailure(xhr.status, line.slice(0, 300)));
      }
    };
    xhr.onerror = () => reject(new Error('the connection failed'));
    xhr.onabort = () => reject(new Error('cancelled'));
    xhr.send(file);
  });
  return { promise, abort: () => xhr.abort() };
}
