// Work that survives: commands that could not reach the server wait here, with their command id, and are sent again
// with that same id when the network is back (the server applies a command id once); unsent text typed into a draft's
// forms is kept in local storage until it is sent, so a reload or a closed tab loses nothing.
import { h, replace } from "./dom.js";
import { t } from "./i18n.js";

const OUTBOX = "cadap.outbox";
const UNSENT = "cadap.unsent";
const RETRY_MS = 5_000;
const waiting = new Map(); // command id -> { resolve, reject } of a command this page is still waiting for
let flushing = null;
let timer = null;
let sender = null;

function read(key, fallback) {
  try { return JSON.parse(localStorage.getItem(key) ?? "null") ?? fallback; } catch { return fallback; }
}

function write(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* storage full or refused: the page still works */ }
}

function statusElement() {
  let el = document.getElementById("outbox-status");
  if (!el) {
    el = h("p", { id: "outbox-status", class: "outbox-status", role: "status", "data-testid": "outbox-status", hidden: true });
    document.body.append(el);
  }
  return el;
}

function show(text) {
  const el = statusElement();
  el.hidden = !text;
  replace(el, text ?? "");
}

/** The commands still to send, oldest first. */
export function pending() {
  return read(OUTBOX, []);
}

/**
 * Keeps a command that met no network, and returns a promise settled when it is finally answered. `send(entry)` posts
 * it with its id and returns the Response (or throws when there is still no network).
 */
export function enqueue(entry, send) {
  sender = send;
  write(OUTBOX, [...pending().filter((e) => e.id !== entry.id), entry]);
  show(t("work.offline"));
  schedule();
  return new Promise((resolve, reject) => waiting.set(entry.id, { resolve, reject }));
}

function schedule() {
  if (!timer) timer = setInterval(() => flush(), RETRY_MS);
}

/** Sends what waited, in order; stops at the first that still meets no network. */
export function flush(send = sender) {
  if (!send || flushing) return flushing;
  sender = send;
  flushing = (async () => {
    try {
      for (const entry of pending()) {
        let response;
        try {
          response = await send(entry);
        } catch {
          show(t("work.offline"));
          return;
        }
        write(OUTBOX, pending().filter((e) => e.id !== entry.id));
        waiting.get(entry.id)?.resolve(response);
        waiting.delete(entry.id);
        if (!waiting.size) show(null);
        notice(t("work.sent"));
      }
      clearInterval(timer);
      timer = null;
      show(null);
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}

function notice(text) {
  const notices = document.getElementById("notices");
  if (!notices) return;
  const item = h("p", { class: "notice" }, text);
  notices.append(item);
  setTimeout(() => item.remove(), 8000);
}

/** Starts sending what an earlier page left waiting (this person's commands only). */
export function resume(send, userId) {
  sender = send;
  const mine = pending().filter((e) => e.user === userId);
  if (!mine.length) return;
  show(navigator.onLine ? t("work.sending") : t("work.offline"));
  schedule();
  flush(send);
}

window.addEventListener("online", () => flush());
window.addEventListener("offline", () => { if (pending().length) show(t("work.offline")); });

/** The unsent text of one draft: open forms and what was typed in them, by the fields' data-keep names. */
export function unsentFor(userId, draftId) {
  return read(UNSENT, {})[`${userId}|${draftId}`] ?? null;
}

export function keepUnsent(userId, draftId, state) {
  const all = read(UNSENT, {});
  const key = `${userId}|${draftId}`;
  if (!state || (!state.editors.length && !Object.keys(state.values).length)) delete all[key];
  else all[key] = { ...state, at: new Date().toISOString() };
  write(UNSENT, all);
}
