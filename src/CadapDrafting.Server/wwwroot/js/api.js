// The public HTTP API: bearer token, an Idempotency-Key per command, RFC 7807 problems as errors.
import { session } from "./session.js";

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

/** Sends a command; a network failure is retried once with the same command id, so it is applied at most once. */
export async function command(url, body) {
  const id = newCommandId();
  const init = () => ({
    method: "POST",
    headers: headers({ "Content-Type": "application/json", "Idempotency-Key": id }),
    body: JSON.stringify(body ?? {}),
  });
  let response;
  try {
    response = await fetch(url, init());
  } catch {
    response = await fetch(url, init());
  }
  if (!response.ok) await fail(response);
  return response.json();
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
