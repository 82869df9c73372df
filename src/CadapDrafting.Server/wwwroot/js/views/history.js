// History beside the document: a slider that scrubs the draft through its revisions (as-of), the diff between
// two revisions, a node's lineage, what each approver signed, and the chain check.
import { h, replace, labelled, formatTime } from "../dom.js";
import { t, language } from "../i18n.js";
import { get } from "../api.js";
import { problemBox } from "./problems.js";
import { diffText } from "./documentView.js";
import { nameOf } from "../people.js";

export function historyPanel(view, { showPast }) {
  const history = `${view.base}/history`;
  let scrubbed = null; // the revision shown while scrubbing, null for now
  let loading = 0;

  const slider = h("input", { type: "range", min: "0", step: "1", name: "revision" });
  const sliderText = h("output", { for: "history-slider", "data-testid": "history-position" });
  slider.id = "history-slider";
  const pastResult = h("div", { "aria-live": "polite" });
  const fromSelect = h("select", { name: "diff-from" });
  const toSelect = h("select", { name: "diff-to" });
  const diffResult = h("div", { class: "diff-result", "aria-live": "polite" });
  const verifyResult = h("div", { role: "status", "data-testid": "verify-result" });
  const signOffs = h("div");
  const versions = h("div");
  const lineage = h("div", { "aria-live": "polite" });

  async function scrubTo(revision) {
    const current = view.doc.revision;
    slider.value = String(revision);
    describeSlider();
    if (revision >= current) {
      scrubbed = null;
      replace(pastResult);
      showPast(null);
      return;
    }
    scrubbed = revision;
    const ticket = ++loading;
    try {
      const past = await get(`${history}/as-of?revision=${revision}`);
      if (ticket !== loading) return;
      replace(pastResult);
      showPast({ revision: past.revision, position: past.position, at: past.lastChangedAt, document: past.document });
    } catch (error) {
      replace(pastResult, problemBox(error));
    }
  }

  /** The exact text a sign-off bound to, with whether it still has the hash that was signed. */
  async function showSigned(signOff) {
    const ticket = ++loading;
    try {
      const saw = await get(`${history}/sign-offs/${signOff.id}`);
      if (ticket !== loading) return;
      scrubbed = saw.revision;
      slider.value = String(saw.revision);
      describeSlider();
      replace(pastResult);
      showPast({
        revision: saw.revision, position: saw.document.position, document: saw.document,
        signed: {
          approver: nameOf(saw.approver), at: saw.signedAt, matches: saw.contentMatchesSignature, hash: saw.signedContentHash,
          head: saw.inLog?.signedAtHead
            ? {
              size: saw.inLog.signedAtHead.head.size, root: saw.inLog.signedAtHead.head.root, current: saw.inLog.signedHead.head.size,
              holds: saw.inLog.signedAtHeadHolds && saw.inLog.inclusionHolds && saw.inLog.consistencyHolds,
            }
            : null,
        },
      });
    } catch (error) {
      replace(pastResult, problemBox(error));
    }
  }

  function describeSlider() {
    const value = Number(slider.value);
    const text = t("history.revisionOf", { revision: value, total: view.doc.revision });
    slider.setAttribute("aria-valuetext", text);
    replace(sliderText, text);
  }

  let debounce = null;
  slider.addEventListener("input", () => {
    describeSlider();
    clearTimeout(debounce);
    debounce = setTimeout(() => scrubTo(Number(slider.value)), 120);
  });

  const compare = h("button", { type: "button" }, t("history.compare"));
  compare.addEventListener("click", async () => {
    try {
      const diff = await get(`${history}/diff?from=${fromSelect.value}&to=${toSelect.value}`);
      replace(diffResult, diff.nodes.length === 0
        ? h("p", { class: "empty" }, t("history.noDifference"))
        : h("ol", { class: "node-diffs" }, diff.nodes.map((n) => h("li", { class: `node-diff ${n.change}` },
            h("strong", {}, t(`node.${n.kind}`), " ", n.numberAfter ?? n.numberBefore ?? ""), " ",
            h("span", { class: "badge" }, t(`history.change.${n.change}`)),
            n.renumbered ? h("span", { class: "note" }, " ", t("history.renumbered", { before: n.numberBefore, after: n.numberAfter })) : null,
            n.moved ? h("span", { class: "note" }, " ", t("history.moved")) : null,
            Object.entries(n.text ?? {}).filter(([lang]) => view.sideBySide || lang === view.lang)
              .map(([lang, segments]) => h("p", { class: "diff", lang }, diffText(segments))),
            n.attributes?.length
                ? h("p", { class: "note" }, t("history.attributesChanged", { names: n.attributes.map((a) => a.attribute).join(", ") })) : null))));
    } catch (error) {
      replace(diffResult, problemBox(error));
    }
  });

  const verify = h("button", { type: "button", class: "primary" }, t("history.verify"));
  verify.addEventListener("click", async () => {
    replace(verifyResult, t("history.verifying"));
    try {
      const report = await get(`${history}/verify`);
      replace(verifyResult, report.intact
        ? h("p", { class: "ok" }, t("history.intact", { events: report.events }), " ",
            h("code", { title: report.headHash }, (report.headHash ?? "").slice(0, 16), "…"))
        : h("p", { class: "broken" }, t("history.broken", { position: report.firstBadPosition ?? "?" }), " ", report.problem ?? ""));
    } catch (error) {
      replace(verifyResult, problemBox(error));
    }
  });

  const element = h("section", { class: "panel history", "aria-labelledby": "history-title" },
    h("h2", { id: "history-title" }, t("history.title")),
    h("div", { class: "field" }, h("label", { for: "history-slider" }, t("history.timeline")), slider, sliderText),
    pastResult,
    h("h3", {}, t("history.diffTitle")),
    h("div", { class: "row" }, labelled(t("history.from"), fromSelect, "field inline"), labelled(t("history.to"), toSelect, "field inline"), compare),
    diffResult,
    h("h3", {}, t("history.versionsTitle")),
    versions,
    h("h3", {}, t("history.signedTitle")),
    signOffs,
    h("h3", {}, t("history.lineageTitle")),
    lineage,
    h("h3", {}, t("history.verifyTitle")),
    verify,
    verifyResult);
  replace(lineage, h("p", { class: "hint" }, t("history.lineageHint")));

  // Until someone picks revisions to compare, the choice follows the latest change.
  for (const select of [fromSelect, toSelect]) select.addEventListener("change", () => { select.dataset.chosen = "true"; });

  function revisionOptions(select, latest) {
    const total = view.doc.revision;
    const keep = select.dataset.chosen ? Math.min(Number(select.value), total) : latest;
    const option = (r) => h("option", { value: r }, t("history.revisionShort", { revision: r }));
    // A live change adds a revision or two: only those are added, not the whole list drawn again on every viewer's page.
    if (select.options.length > total + 1) replace(select);
    for (let r = select.options.length; r <= total; r++) select.append(option(r));
    select.value = String(keep);
  }

  /** The revisions offered (slider, compare from / to) follow the document's; nothing is read. */
  function revised() {
    const total = view.doc.revision;
    slider.max = String(total);
    if (scrubbed === null) slider.value = String(total);
    describeSlider();
    revisionOptions(fromSelect, Math.max(0, total - 1));
    revisionOptions(toSelect, total);
  }

  async function refresh() {
    revised();
    try {
      const named = await get(`${view.base}/versions`);
      replace(versions, named.length === 0
        ? h("p", { class: "empty" }, t("history.noVersions"))
        : h("ul", { class: "plain" }, named.map((v) => h("li", {},
            h("strong", {}, v.name), " — ", t("history.revisionShort", { revision: v.revision }), ", ", nameOf(v.namedBy), " ",
            h("button", { type: "button", "aria-label": t("history.showVersionOf", { name: v.name }), onclick: () => scrubTo(v.revision) },
              t("history.showSigned"))))));
    } catch (error) {
      replace(versions, problemBox(error));
    }
    try {
      const status = await get(`${view.base}/sign-offs`);
      replace(signOffs, status.signOffs.length === 0
        ? h("p", { class: "empty" }, t("history.noSignOffs"))
        : h("ul", { class: "plain" }, status.signOffs.map((s) => h("li", {},
            t("history.signedBy", { approver: nameOf(s.approver), revision: s.revision, at: formatTime(s.signedAt, language()) }), " ",
            h("span", { class: `badge ${s.state}` }, t(`signoff.${s.state}`, {}, s.state)), " ",
            h("code", { title: s.contentHash }, s.contentHash.slice(0, 12), "…"), " ",
            h("button", { type: "button", "aria-label": t("history.showSignedOf", { approver: nameOf(s.approver), revision: s.revision }),
              onclick: () => showSigned(s) }, t("history.showSigned"))))));
    } catch (error) {
      replace(signOffs, problemBox(error));
    }
  }

  async function showLineage(node) {
    replace(lineage, t("history.loading"));
    try {
      const [result, rejected] = await Promise.all([
        get(`${history}/nodes/${node.id}/lineage`),
        get(`${view.base}/proposals?status=Rejected&nodeId=${node.id}`).catch(() => []),
      ]);
      const discussion = view.threads.filter((th) => th.nodeId === node.id);
      replace(lineage,
        h("p", {}, h("strong", {}, t(`node.${node.kind}`), " ", node.number)),
        result.steps.length === 0
            ? h("p", { class: "empty" }, t("history.noLineage")) : h("ol", { class: "lineage" }, result.steps.map((s) => h("li", {},
          h("div", {}, t(`proposal.kind.${s.kind}`, { number: "" }), " — ", nameOf(s.author), " · ", formatTime(s.submittedAt, language())),
          Object.entries(s.textChange ?? {}).filter(([lang]) => lang === view.lang).map(([lang, segments]) =>
              h("p", { class: "diff", lang }, diffText(segments))),
          h("p", { class: "rationale" }, t("proposal.rationale"), " ", s.rationale),
          s.decidedBy ? h("p", { class: "note" }, t("history.decidedBy", { who: nameOf(s.decidedBy), at: formatTime(s.decidedAt, language()) }),
              s.decisionReason ? ` — ${s.decisionReason}` : "") : null))),
        h("h4", {}, t("lineage.rejected")),
        rejected.length === 0 ? h("p", { class: "empty" }, t("lineage.none")) : h("ul",
            { class: "lineage rejected", "data-testid": "rejected-alternatives" }, rejected.map((p) => h("li", {},
          h("div", {}, t(`proposal.kind.${p.kind}`, { number: "" }), " — ", nameOf(p.author), " · ", formatTime(p.submittedAt, language())),
          Object.entries(p.diff ?? {}).filter(([lang]) => lang === view.lang).map(([lang, segments]) =>
              h("p", { class: "diff", lang }, diffText(segments))),
          h("p", { class: "rationale" }, t("proposal.rationale"), " ", p.rationale),
          h("p", { class: "note" }, t("lineage.rejectedBy", { who: nameOf(p.decidedBy), reason: p.decisionReason ?? "" }))))),
        h("h4", {}, t("lineage.discussion")),
        discussion.length === 0
            ? h("p", { class: "empty" }, t("lineage.none")) : h("ul", { class: "lineage discussion" }, discussion.map((th) => h("li", {},
          h("span", { class: "badge" }, t(`comments.status.${th.status}`)), " ",
          th.comments.map((c) => h("p", {}, h("strong", {}, nameOf(c.author)), ": ", c.text))))));
      lineage.scrollIntoView({ block: "nearest" });
    } catch (error) {
      replace(lineage, problemBox(error));
    }
  }

  return { element, refresh, revised, showLineage, backToNow: () => scrubTo(view.doc.revision) };
}
