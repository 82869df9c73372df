// Lifecycle and sign-off beside the document: the consultation round with its end date and time left; the approval
// policy (approvers by name, k of n) set before review; start review with a confirmation of what it freezes;
// signing or refusing with progress ("1 of 2 signed") and who; return to Drafting, withdraw, new edition; naming a
// version; the evidence bundle. Each control is offered only when the draft's allowedActions say it can work.
import { h, replace, labelled, formatTime, uid, keepingInputAndFocus } from "../dom.js";
import { t, language } from "../i18n.js";
import { get, command, download } from "../api.js";
import { can } from "./can.js";
import { nameOf, people } from "../people.js";
import { openDialog } from "./dialog.js";
import { characterCounter } from "./comments.js";

export function lifecyclePanel(view) {
  const body = h("div", { class: "lifecycle-body" });
  const element = h("section", { class: "panel lifecycle", "aria-labelledby": "lifecycle-title" },
    h("h2", { id: "lifecycle-title" }, t("lifecycle.panel")), body);
  let status = null;

  async function refresh() {
    try { status = await get(`${view.base}/sign-offs`); } catch { status = null; }
    render();
  }

  const names = (ids) => ids.map(nameOf).join(", ");

  // The time left is redrawn on its own: when its minute changes, each second in the last minute, and "closed" once the
  // end date passes (the round closes itself then). One timer per panel, dropped when the line is drawn again or the
  // panel leaves the page.
  let ticking = null;

  function leftText(round) {
    const ms = new Date(round.endsAt).getTime() - Date.now();
    if (round.state === "Closed" || ms <= 0) return { text: t("round.closed"), ms };
    const days = Math.floor(ms / 86_400_000);
    const hours = Math.floor((ms % 86_400_000) / 3_600_000);
    const minutes = Math.floor((ms % 3_600_000) / 60_000);
    if (days > 0) return { text: t("round.left", { days, hours }), ms };
    if (ms >= 60_000) return { text: t("round.leftMinutes", { hours, minutes }), ms };
    return { text: t("round.leftSeconds", { seconds: Math.ceil(ms / 1000) }), ms };
  }

  function tick(round, strong, first = false) {
    clearTimeout(ticking);
    ticking = null;
    if (!first && !strong.isConnected) return;
    const { text, ms } = leftText(round);
    if (strong.textContent !== text) strong.textContent = text;
    if (round.state === "Closed" || ms <= 0) return;
    // To the next change of what is shown: the next whole minute, or the next second in the last minute.
    const delay = ms > 60_000 ? (ms % 60_000 || 60_000) + 20 : (ms % 1000 || 1000) + 20;
    ticking = setTimeout(() => tick(round, strong), delay);
  }

  function roundLine() {
    clearTimeout(ticking);
    const round = view.rounds[view.rounds.length - 1];
    if (!round) return h("p", { class: "empty" }, t("round.none"));
    const at = formatTime(round.endsAt, language());
    const left = h("strong", { "data-testid": "round-left" });
    tick(round, left, true);
    return h("div", { class: "round-line", "data-testid": "round-status" },
      h("p", {}, t("round.status", { number: round.number, visibility: t(`round.public.${round.isPublic}`), at }), " — ", left),
      h("p", { class: "note" }, t("round.counts", { comments: round.reviewerComments, pending: round.pending })));
  }

  function openRoundDialog(trigger) {
    const ends = h("input", { type: "datetime-local", required: true });
    const defaultEnd = new Date(Date.now() + 14 * 86_400_000);
    defaultEnd.setMinutes(0, 0, 0);
    ends.value = localValue(defaultEnd);
    ends.min = localValue(new Date());
    const isPublic = h("input", { type: "checkbox", id: uid("pub") });
    const reason = h("input", { type: "text", maxlength: 500 });
    openDialog({
      title: t("round.dialog"),
      fields: [labelled(t("round.endsAt"), ends), h("div", { class: "field inline" }, isPublic, h("label", { for: isPublic.id }, t("round.public"))),
        labelled(t("round.reason"), reason), characterCounter(reason, 500)],
      confirm: t("round.confirm"),
      run: (slot) => view.act(command(`${view.base}/rounds`, {
        endsAt: new Date(ends.value).toISOString(), isPublic: isPublic.checked, reason: reason.value.trim() || t("lifecycle.openReason"),
      }), { slot, success: t("round.opened"), refreshAll: true }),
    });
  }

  function reasonDialog({ title, intro, label, confirm, url, success, danger = false, extra = {} }) {
    const reason = h("input", { type: "text", required: true, maxlength: 2000 });
    openDialog({
      title, intro, danger, confirm, fields: [labelled(label, reason), characterCounter(reason, 2000)],
      run: (slot) => view.act(command(url, { reason: reason.value.trim(), ...extra }), { slot, success, refreshAll: true }),
    });
  }

  function policyForm() {
    const d = view.doc;
    const approvers = people().filter((p) => p.roles.includes("Approver") && p.country === d.country);
    const current = status?.policy;
    const boxes = approvers.map((p) =>
        ({ p, box: h("input", { type: "checkbox", id: uid("ap"), value: p.id, checked: current?.approvers.includes(p.id) ?? false }) }));
    const required = h("input",
        { type: "number", min: 1, max: Math.max(1, approvers.length), value: current?.required ?? Math.min(2, approvers.length), required: true });
    const submit = h("button", { type: "submit" }, t("policy.set"));
    const form = h("form", { class: "policy-form", "aria-label": t("policy.set") },
      h("fieldset", {}, h("legend", {}, t("policy.approvers")),
        boxes.map(({ p, box }) => h("div", { class: "field inline" }, box,
            h("label", { for: box.id }, p.name, p.organisation ? h("span", { class: "org" }, ` · ${p.organisation}`) : null)))),
      labelled(t("policy.required"), required, "field inline"), submit, view.problemAt("approval-policy"));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      view.act(command(`${view.base}/approval-policy`, {
        approvers: boxes.filter((b) => b.box.checked).map((b) => b.p.id), required: Number(required.value), reason: t("policy.set"),
      }), { key: "approval-policy", control: submit, success: t("policy.saved"), refreshAll: true });
    });
    return form;
  }

  function render() {
    const d = view.doc;
    const parts = [];
    parts.push(h("h3", {}, t("round.title")), roundLine());
    if (can.openRound(d)) parts.push(h("button", { type: "button", onclick: (e) => openRoundDialog(e.currentTarget) }, t("round.open")));
    if (can.closeRound(d)) parts.push(h("button", { type: "button", onclick: () => view.act(command(`${view.base}/rounds/current/close`, {}),
        { key: "close-round", refreshAll: true }) }, t("lifecycle.closeRound")), view.problemAt("close-round"));

    parts.push(h("h3", {}, t("policy.title")));
    const policy = status?.policy;
    parts.push(h("p", { "data-testid": "approval-policy" }, policy
      ? t("policy.current", { required: policy.required, count: policy.approvers.length, names: names(policy.approvers) })
      : t("policy.none")));
    if (can.setPolicy(d)) parts.push(policyForm());
    else if (d.status === "Review" && policy) parts.push(h("p", { class: "note" }, t("policy.frozen")));

    const progress = status?.progress;
    if (progress && (d.status === "Review" || d.status === "Approved")) {
      parts.push(h("div", { class: "signoff-progress", role: "status", "data-testid": "signoff-progress" },
        h("strong", {}, t("review.progress", { signed: progress.signed, required: progress.required })),
        h("progress", { max: progress.required, value: Math.min(progress.signed, progress.required),
            "aria-label": t("review.progress", { signed: progress.signed, required: progress.required }) }),
        progress.signedBy.length ? h("p", {}, t("review.signedBy", { names: names(progress.signedBy) })) : null,
        progress.outstanding.length && d.status === "Review"
            ? h("p", { class: "note" }, t("review.outstanding", { names: names(progress.outstanding) })) : null));
    }
    for (const r of (status?.refusals ?? []).filter((x) => x.revision === d.revision && d.status === "Review"))
      parts.push(h("p", { class: "refusal" }, t("review.refusals", { name: nameOf(r.approver), reason: r.reason })));
    const adoption = status?.adoptions?.[status.adoptions.length - 1];
    if (d.status === "Approved" && adoption)
      parts.push(h("p", { class: "ok", "data-testid": "approved" },
          t("lifecycle.approved", { revision: adoption.revision, names: names(adoption.signedBy) })));

    const buttons = [];
    if (can.startReview(d)) buttons.push(h("button", {
      type: "button", class: "primary",
      onclick: () => policy
        ? openDialog({ title: t("review.dialog"), intro: t("review.freezes", { revision: d.revision }), confirm: t("review.dialog"),
            run: (slot) => view.act(command(`${view.base}/lifecycle/review`, { reason: t("review.dialog") }),
                { slot, success: t("review.started"), refreshAll: true }) })
        : view.showProblemAt("start-review", t("review.needsPolicy")),
    }, t("review.start")));
    if (can.signOff(d)) {
      buttons.push(h("button", {
        type: "button", class: "primary",
        onclick: () => openDialog({ title: t("review.signDialog", { revision: d.revision }), intro: t("review.signText", { revision: d.revision }),
          confirm: t("review.sign", { revision: d.revision }),
          run: (slot) => view.act(command(`${view.base}/sign-offs`, { revision: d.revision }),
              { slot, success: t("review.signed"), refreshAll: true }) }),
      }, t("review.sign", { revision: d.revision })));
      buttons.push(h("button", { type: "button", onclick: () => reasonDialog({
        title: t("review.refuse"), label: t("review.refuseReason"), confirm: t("review.refuseConfirm"), danger: true,
        url: `${view.base}/sign-offs/refusals`, extra: { revision: d.revision }, success: t("review.refused") }) }, t("review.refuse")));
    }
    if (can.returnToDrafting(d)) buttons.push(h("button", { type: "button", onclick: () => reasonDialog({
      title: t("review.return"), intro: t("review.returnText"), label: t("review.returnReason"), confirm: t("review.returnConfirm"),
      url: `${view.base}/lifecycle/drafting`, success: t("review.returned") }) }, t("review.return")));
    if (can.newEdition(d)) buttons.push(h("button", { type: "button", onclick: () => reasonDialog({
      title: t("lifecycle.newEdition"), intro: t("lifecycle.newEditionText"), label: t("lifecycle.newEditionReason"),
          confirm: t("lifecycle.newEditionConfirm"),
      url: `${view.base}/lifecycle/new-revision`, success: t("lifecycle.editionStarted") }) }, t("lifecycle.newEdition")));
    if (can.withdraw(d)) buttons.push(h("button", { type: "button", class: "danger", onclick: () => reasonDialog({
      title: t("lifecycle.withdraw"), intro: t("lifecycle.withdrawText"), label: t("lifecycle.withdrawReason"),
          confirm: t("lifecycle.withdrawConfirm"), danger: true,
      url: `${view.base}/lifecycle/withdraw`, success: t("lifecycle.withdrawn") }) }, t("lifecycle.withdraw")));
    if (buttons.length)
        parts.push(h("div", { class: "actions", role: "group", "aria-label": t("lifecycle.title") }, buttons), view.problemAt("start-review"));

    if (can.nameVersion(d)) {
      const name = h("input", { type: "text", required: true, maxlength: 200, dataset: { keep: "version-name" } });
      const submit = h("button", { type: "submit" }, t("version.save"));
      const form = h("form", { class: "row version-form", "aria-label": t("version.save") }, labelled(t("version.name"), name, "field grow"), submit,
          characterCounter(name, 200), view.problemAt("name-version"));
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const named = await view.act(command(`${view.base}/versions`, { name: name.value.trim(), revision: d.revision }),
            { key: "name-version", control: submit, success: t("version.saved"), refreshAll: true });
        // The panel may have been drawn again meanwhile, keeping what was typed: the name given is cleared where it is now.
        const field = body.querySelector('[data-keep="version-name"]');
        if (named && field) field.value = "";
      });
      parts.push(h("h3", {}, t("history.versionsTitle")), form);
    }
    if (can.exportEvidence(d)) {
      const slot = h("div", { "aria-live": "assertive" });
      const button = h("button", { type: "button" }, t("evidence.download"));
      button.addEventListener("click", async () => {
        const file = await view.act(download(`${view.base}/history/export`, "evidence.zip"), { slot, control: button });
        if (file) view.notice(t("evidence.downloaded", { name: file }));
      });
      parts.push(h("p", {}, button), slot);
    }
    // Drawn again by live updates while someone types a version name: what they typed and where the focus was stay.
    keepingInputAndFocus(body, () => replace(body, parts));
  }

  return { element, refresh, render };
}

function localValue(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
