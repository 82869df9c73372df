// Comments in the margin: threads on a node or a proposal, replies, resolve and reopen, @mentions, and the
// drafting team's disposition of reviewer comments during a consultation round.
import { h, labelled, formatTime } from "../dom.js";
import { t, language } from "../i18n.js";
import { command } from "../api.js";
import { session } from "../session.js";
import { can } from "./can.js";
import { nameOf, personLabel } from "../people.js";
import { withMentionAutocomplete } from "./mentions.js";
import { nodeName } from "./documentView.js";

export function threadCards(view, node, mayComment) {
  return view.threads.filter((th) => th.nodeId === node.id).map((th) => threadCard(view, th, mayComment));
}

export function proposalThreads(view, proposal) {
  const threads = view.threads.filter((th) => th.proposalId === proposal.id);
  return threads.length ? h("div", { class: "proposal-threads" }, threads.map((th) => threadCard(view, th, can.comment(view.doc)))) : null;
}

function threadCard(view, th, mayComment) {
  const d = view.doc;
  const mayResolve = th.author === session.user.id || can.resolveAny(d);
  const first = th.comments[0];
  const label = t("comments.threadBy", { author: nameOf(th.author) });
  const send = async (url, body, sent) => {
    const result = await view.act(command(url, body), { key: `thread-${th.id}` });
    if (result) {
      sent?.();
      await view.refresh();
    }
  };

  const reply = h("input", { type: "text", required: true, maxlength: 8000, dataset: { keep: `reply-${th.id}` } });
  reply.id = `reply-${th.id}`;
  const replyForm = h("form", { class: "reply" },
    h("div", { class: "field" }, h("label", { for: reply.id }, t("comments.reply")),
        withMentionAutocomplete(reply, { internal: th.visibility === "Internal" })),
    h("button", { type: "submit" }, t("comments.send")), characterCounter(reply, 8000));
  replyForm.addEventListener("submit", (e) => {
    e.preventDefault();
    send(`${view.base}/threads/${th.id}/replies`, { text: reply.value }, () => { reply.value = ""; });
  });

  return h("section", { class: `thread status-${th.status}`, dataset: { threadId: th.id }, "aria-label": label },
    h("header", {},
      h("span", { class: "badge" }, t(`comments.status.${th.status}`)),
      th.visibility === "Internal" ? h("span", { class: "badge internal" }, t("comments.internal")) : null),
    th.quote ? h("blockquote", { class: th.quote.outdated ? "outdated" : "" }, th.quote.text,
      th.quote.outdated ? h("span", { class: "note" }, " ", t("comments.quoteOutdated")) : null) : null,
    h("ol", { class: "comments" }, th.comments.map((c) => h("li", { class: "comment", dataset: { commentId: c.id } },
      h("div", { class: "by" }, h("strong", { title: personLabel(c.author) }, nameOf(c.author)), " · ", formatTime(c.at, language()),
        c.round ? ` · ${t("comments.round", { round: c.round })}` : ""),
      h("p", { class: "text" }, withMentions(c.text)),
      c.disposition ? dispositionNote(c.disposition) : null,
      !c.disposition && c.round && c.byReviewer && can.dispose(d) ? dispositionForm(view, c) : null))),
    view.problemAt(`thread-${th.id}`),
    th.status === "Open" && mayComment ? replyForm : null,
    mayResolve && can.comment(d)
      ? h("button", {
          type: "button",
          "aria-label": t(th.status === "Open" ? "comments.resolveOf" : "comments.reopenOf", { text: first?.text?.slice(0, 40) ?? "" }),
          onclick: () => send(`${view.base}/threads/${th.id}/${th.status === "Open" ? "resolve" : "reopen"}`, {}),
        }, t(th.status === "Open" ? "comments.resolve" : "comments.reopen"))
      : null);
}

export function withMentions(text) {
  return text.split(/(@[a-z0-9][a-z0-9-]*)/i).map((part) => part.startsWith("@")
    ? h("span", { class: "mention", title: part }, `@${nameOf(part.slice(1))}`) : part);
}

function dispositionNote(d) {
  return h("p", { class: `disposition ${d.disposition}` },
    h("strong", {}, t(`disposition.${d.disposition}`)), d.reason ? ` — ${d.reason}` : "", ` (${nameOf(d.by)})`);
}

function dispositionForm(view, c) {
  const kind = h("select", { dataset: { keep: `disp-${c.id}` } },
    ["Accepted", "PartlyAccepted", "Rejected"].map((k) => h("option", { value: k }, t(`disposition.${k}`))));
  const reason = h("input", { type: "text", maxlength: 4000, dataset: { keep: `disp-reason-${c.id}` } });
  const form = h("form", { class: "disposition-form", "aria-label": t("disposition.title") },
    labelled(t("disposition.title"), kind, "field inline"), labelled(t("disposition.reason"), reason, "field inline"), characterCounter(reason, 4000),
    h("button", { type: "submit" }, t("disposition.record")), view.problemAt(`disp-${c.id}`));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const result = await view.act(command(`${view.base}/comments/${c.id}/disposition`, { disposition: kind.value, reason: reason.value || null }),
      { key: `disp-${c.id}`, success: t("ui.done") });
    if (result) await view.refresh();
  });
  return form;
}

export function newThreadForm(view, node, quote) {
  const text = h("textarea", { rows: 3, required: true, maxlength: 8000, dataset: { keep: `comment-${node.id}` } });
  text.id = `comment-${node.id}`;
  const form = h("form", { class: "editor", "aria-label": t("comments.startOn", { number: nodeName(node) }) },
    quote ? h("blockquote", { class: "quoting" }, t("comments.quoting", { text: quote.text })) : null,
    h("div", { class: "field" }, h("label", { for: text.id }, t("comments.text")), withMentionAutocomplete(text)),
    characterCounter(text, 8000),
    h("p", { class: "hint" }, t("comments.mentionHint2")),
    view.problemAt(`new-thread-${node.id}`),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "primary" }, t("comments.send")),
      h("button", { type: "button", onclick: () => view.closeEditor(node.id) }, t("ui.cancel"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const result = await view.act(command(`${view.base}/threads`, { text: text.value, nodeId: node.id, quote: quote ?? null }),
      { key: `new-thread-${node.id}`, success: t("comments.sent") });
    if (result) {
      view.closeEditor(node.id);
      await view.refresh();
    }
  });
  return form;
}

/** "n of max characters", shown once the text comes near the limit. */
export function characterCounter(field, max) {
  const counter = h("span", { class: "char-counter", "aria-live": "polite" });
  const update = () => {
    const n = field.value.length;
    counter.hidden = n < max * 0.8;
    counter.classList.toggle("at-limit", n >= max);
    counter.textContent = t("ui.chars", { count: n, max });
  };
  field.addEventListener("input", update);
  update();
  return counter;
}
