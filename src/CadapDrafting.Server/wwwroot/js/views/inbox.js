// The inbox: the signed-in person's notifications, with an unread count in the header that the server pushes over the
// hub (to this person's own connections) whenever it changes. Opening one goes to its place in the draft.
import { h, replace, formatTime } from "../dom.js";
import { t, pick, language } from "../i18n.js";
import { get, command } from "../api.js";
import { session } from "../session.js";
import { connectionLog } from "../live.js";
import { problemBox } from "./problems.js";

let unread = null;
let connection = null;
let connectedAs = null;
const listeners = new Set();

/** Where an entry points: the draft, with its node, thread or proposal to scroll to. */
export function placeOf(entry) {
  const query = new URLSearchParams();
  if (entry.nodeId) query.set("node", entry.nodeId);
  if (entry.threadId) query.set("thread", entry.threadId);
  if (entry.proposalId) query.set("proposal", entry.proposalId);
  const tail = query.toString();
  return `/drafts/${entry.draftId}${tail ? `?${tail}` : ""}`;
}

/** Who an entry is from, by name in the interface language (the server sends the names; the user id only as a last resort). */
export function senderOf(entry) {
  return (language() === "ru" && entry.fromNameRu) || entry.fromName || entry.from || t("people.unknown");
}

export function describe(entry) {
  return t(`inbox.reason.${entry.reason}`, { from: senderOf(entry), round: entry.round ?? "" });
}

function setUnread(count) {
  const before = unread;
  unread = count;
  document.querySelectorAll("[data-testid=inbox-count]").forEach((el) => {
    el.textContent = String(count);
    el.hidden = count === 0;
  });
  document.querySelectorAll("[data-inbox-link]").forEach((el) =>
    el.setAttribute("aria-label", `${t("inbox.link")}: ${t("inbox.unread", { count })}`));
  listeners.forEach((l) => l(count, before));
}

/** Called when the unread count changes (live); returns a function that stops listening. */
export function onUnreadChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function readCount() {
  try { setUnread((await get("/api/inbox/unread")).unread); } catch { /* shown again on the next change */ }
}

/** Keeps one user-scoped hub connection per tab while someone is signed in. */
export function followInbox() {
  const signalR = window.signalR;
  if (!session.token || !signalR) return;
  if (connection && connectedAs === session.user?.id) return;
  if (connection) connection.stop();
  connectedAs = session.user?.id;
  const mine = new signalR.HubConnectionBuilder()
    .withUrl("/hubs/drafts", { accessTokenFactory: () => session.token })
    .withAutomaticReconnect()
    .configureLogging(connectionLog)
    .build();
  connection = mine;
  mine.on("unread", (change) => setUnread(change.unread));
  mine.onreconnected(readCount);
  mine.start().then(readCount).catch(() => readCount());
  session.onChange(() => {
    if (!session.token && connection === mine) { mine.stop(); connection = null; connectedAs = null; unread = null; }
  });
}

/** The header's link to the inbox, with its count. */
export function inboxLink(navigate) {
  const count = h("span", { class: "unread-count", "data-testid": "inbox-count", hidden: !unread }, String(unread ?? 0));
  const link = h("a", {
    href: "/inbox", class: "inbox-link", "data-inbox-link": "",
    "aria-label": `${t("inbox.link")}: ${t("inbox.unread", { count: unread ?? 0 })}`,
    onclick: (e) => { e.preventDefault(); navigate("/inbox"); },
  }, t("inbox.link"), " ", count);
  if (unread === null) readCount();
  return link;
}

export async function renderInbox(main, navigate) {
  const list = h("div", { "aria-live": "polite" });
  const slot = h("div");

  async function open(entry) {
    if (!entry.read) {
      try { setUnread((await command("/api/inbox/read", { ids: [entry.id] })).unread); } catch { /* opening matters more */ }
    }
    navigate(placeOf(entry));
  }

  async function load() {
    try {
      const entries = await get("/api/inbox?limit=100");
      replace(list, entries.length === 0 ? h("p", { class: "empty" }, t("inbox.none"))
        : h("ul", { class: "inbox" }, entries.map((entry) => h("li", {
          class: `inbox-entry${entry.read ? "" : " unread"}`, dataset: { entryId: entry.id, reason: entry.reason },
        },
          h("div", { class: "inbox-what" },
            entry.read ? null : h("span", { class: "badge new" }, t("inbox.new")), " ",
            h("a", { href: placeOf(entry), onclick: (e) => { e.preventDefault(); open(entry); } }, describe(entry))),
          h("div", { class: "inbox-where" },
            entry.nodeNumber ? t("inbox.where", { draft: pick(entry.draftTitle), number: entry.nodeNumber })
              : t("inbox.whereDraft", { draft: pick(entry.draftTitle) }),
            " · ", h("time", { datetime: entry.at }, formatTime(entry.at, language()))),
          h("blockquote", { class: "inbox-excerpt" }, entry.excerpt)))));
    } catch (error) {
      replace(list, problemBox(error));
    }
  }

  const markAll = h("button", {
    type: "button",
    onclick: async () => {
      try {
        setUnread((await command("/api/inbox/read", {})).unread);
        replace(slot);
        await load();
      } catch (error) {
        replace(slot, problemBox(error));
      }
    },
  }, t("inbox.markAll"));

  replace(main, h("section", { class: "card", "aria-labelledby": "inbox-title" },
    h("div", { class: "list-head" }, h("h1", { id: "inbox-title" }, t("inbox.title")), h("div", {}, markAll, slot)),
    list));
  const stop = onUnreadChange((count, before) => { if (before === null || count > before) load(); });
  await load();
  return stop;
}
