// "My proposals": everything the signed-in person proposed on this draft with its status and, when rejected, the
// reason; and the bar that accepts or rejects several selected proposals at once.
import { h, replace, labelled, formatTime } from "../dom.js";
import { t, language } from "../i18n.js";
import { get, command } from "../api.js";
import { session } from "../session.js";
import { nameOf } from "../people.js";
import { can } from "./can.js";

const DECIDED = ["Accepted", "Rejected", "Withdrawn", "Superseded"];

export function myProposalsPanel(view) {
  const list = h("div", { "aria-live": "polite" });
  const element = h("section", { class: "panel my-proposals", "aria-labelledby": "mine-title" },
    h("h2", { id: "mine-title" }, t("proposal.mine")), list);
  let decided = null; // this person's decided proposals: read when the page opens or catches up, then kept by live updates
  let loading = null;
  let drawn = null;
  const me = () => session.user?.id;

  async function load() {
    const all = await Promise.all(DECIDED.map((s) =>
      get(`${view.base}/proposals?status=${s}&author=${encodeURIComponent(me() ?? "")}`).catch(() => [])));
    decided = all.flat();
  }

  /** Reads the decided proposals again (the page opened or caught up after a lost connection) and draws. */
  function reload() {
    loading = load().then(() => { loading = null; draw(); });
  }

  function render() {
    if (decided === null && !loading) reload();
    draw();
  }

  /** A proposal as a live update carried it: a decided one of this person's joins the list, any other leaves it. */
  function updated(id, data) {
    if (decided === null) return;
    decided = decided.filter((p) => p.id !== id);
    if (data && data.author === me() && DECIDED.includes(data.status)) decided.push(data);
  }

  function draw() {
    const mine = [...view.proposals, ...(decided ?? [])].filter((p) => p.author === me())
      .sort((a, b) => (a.submittedAt < b.submittedAt ? 1 : -1));
    element.hidden = !can.propose(view.doc) && mine.length === 0;
    // Most live changes are someone else's: the list as drawn stays.
    const key = JSON.stringify([language(), mine.map((p) =>
      [p.id, p.status, p.kind, p.nodeKind, p.nodeNumber, p.submittedAt, p.rationale, p.decisionReason, p.decidedBy && nameOf(p.decidedBy)])]);
    if (key === drawn) return;
    drawn = key;
    replace(list, mine.length === 0 ? h("p", { class: "empty" }, t("proposal.noneMine")) : h("ul", { class: "plain mine" }, mine.map((p) => h("li", {
      class: `mine-item status-${p.status}`, dataset: { proposalId: p.id },
    },
      h("span", { class: `badge proposal-${p.status}` }, t(`proposal.status.${p.status}`)), " ",
      h("strong", {}, t(`proposal.kind.${p.kind}`,
          { number: p.nodeKind && p.nodeNumber ? `${t(`node.${p.nodeKind}`)} ${p.nodeNumber}` : p.nodeNumber ?? "" })),
      " · ", formatTime(p.submittedAt, language()),
      h("p", { class: "rationale" }, p.rationale),
      p.status === "Rejected" || p.status === "Superseded"
        ? h("p", { class: "decision" }, t("proposal.reasonGiven", { reason: p.decisionReason ?? "—" }), p.decidedBy
            ? ` (${nameOf(p.decidedBy)})` : "")
        : null))));
  }

  return { element, render, reload, updated };
}

/** Accept or reject the selected proposals, one command each, with how many went through. */
export function batchBar(view) {
  if (!can.decide(view.doc) || view.selected.size === 0) return null;
  const ids = [...view.selected].filter((id) => view.proposals.some((p) => p.id === id));
  if (!ids.length) return null;
  const slot = h("div", { "aria-live": "assertive" });
  const run = async (button, path, body, success) => {
    let done = 0;
    for (const id of ids) {
      const ok = await view.act(command(`${view.base}/proposals/${id}/${path}`, body), { slot, control: button });
      if (!ok) break;
      done += 1;
      view.selected.delete(id);
    }
    view.notice(`${success} ${t("proposal.batchDone", { done, count: ids.length })}`);
    await view.refresh();
  };
  const reason = h("input", { type: "text", dataset: { keep: "batch-reason" } });
  const accept = h("button", { type: "button", class: "primary" }, t("proposal.acceptSelected"));
  const reject = h("button", { type: "button" }, t("proposal.rejectSelected"));
  accept.addEventListener("click", () => run(accept, "accept", { reason: t("proposal.acceptReason") }, t("proposal.accepted")));
  reject.addEventListener("click", () => {
    if (!reason.value.trim())
        { reason.setAttribute("aria-invalid", "true"); reason.focus(); replace(slot, h("p", { class: "field-error" }, t("field.required"))); return; }
    run(reject, "reject", { reason: reason.value.trim() }, t("proposal.rejected"));
  });
  return h("div", { class: "group batch", role: "group", "aria-label": t("proposal.batch", { count: ids.length }) },
    h("strong", {}, t("proposal.batch", { count: ids.length })), accept, labelled(t("proposal.batchReason"), reason, "field inline"), reject, slot);
}
