// The public HTTP API: bearer token, an Idempotency-Key per command, RFC 7807 problems as errors.
import { session } from "./session.js";
import { enqueue, resume } from "./outbox.js";

export class ProblemError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

function newCommandId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function headers(extra = {}) {
  const result = { Accept: "application/json, application/problem+json", ...extra };
  if (session.token) result.Authorization = `Bearer ${session.token}`;
  return result;
}

async function fail(response) {
  let problem = null;
  try { problem = await response.json(); } catch { /* not JSON */ }
  if (response.status === 401) session.expired();
  throw new ProblemError(response.status, problem);
}

const etags = new Map();

/** GET as JSON; remembers ETags so an unchanged resource costs a 304. */
export async function get(url) {
  const cached = etags.get(url);
  const response = await fetch(url, { headers: headers(cached ? { "If-None-Match": cached.etag } : {}) });
  if (response.status === 304 && cached) return cached.body;
  if (!response.ok) await fail(response);
  const body = await response.json();
  const etag = response.headers.get("ETag");
  if (etag) etags.set(url, { etag, body });
  return body;
}

function post(entry) {
  return fetch(entry.url, {
    method: "POST",
    headers: headers({ "Content-Type": "application/json", "Idempotency-Key": entry.id }),
    body: JSON.stringify(entry.body),
  });
}

/**
 * Sends a command. A network failure is retried once with the same command id; when there is still no network the
 * command waits in the outbox (the page says "Offline — will send when connected") and is sent with that same id when
 * the network is back, so it is applied exactly once.
 */
export async function command(url, body) {
  const entry = { id: newCommandId(), url, body: body ?? {}, user: session.user?.id ?? null };
  let response;
  try {
    response = await post(entry);
  } catch {
    try {
      if (!navigator.onLine) throw new Error("offline");
      response = await post(entry);
    } catch {
      response = await enqueue(entry, post);
    }
  }
  if (!response.ok) await fail(response);
  return response.json();
}

/** Sends what an earlier page left in the outbox. */
export function resumeOutbox() {
  if (session.user) resume(post, session.user.id);
}

export async function signIn(userId) {
  const response = await fetch("/api/dev/sign-in", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ userId }),
  });
  if (!response.ok) await fail(response);
  return response.json();
}

/** Downloads a file the API serves to signed-in users only (a plain link would carry no token). */
export async function download(url, fallbackName) {
  const response = await fetch(url, { headers: headers({ Accept: "*/*" }) });
  if (!response.ok) await fail(response);
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return name;
}
