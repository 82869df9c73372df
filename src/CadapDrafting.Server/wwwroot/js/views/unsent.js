// Unsent text on a draft's page: which forms are open (a proposal, a comment, a record) and what is typed in them is kept
// in local storage as it is typed, and brought back when the page is opened again (after a reload, a closed tab, a
// crash). It is forgotten once the form is sent or cancelled.
import { session } from "../session.js";
import { t } from "../i18n.js";
import { unsentFor, keepUnsent } from "../outbox.js";

const TEXT_FIELDS = "textarea[data-keep], input[type=text][data-keep], input:not([type])[data-keep], select[data-keep]";

export function keepUnsentWork(view, container) {
  const user = session.user?.id;
  let timer = null;
  let restored = false; // nothing is written before what was kept has been brought back

  function snapshot() {
    if (!restored) return;
    const values = {};
    container.querySelectorAll(TEXT_FIELDS).forEach((el) => {
      if (el.value && el.value !== el.defaultValue) values[el.dataset.keep] = el.value;
    });
    const editors = [...view.openEditors.entries()].filter(([, e]) => e.kind !== "record");
    keepUnsent(user, view.draftId, { editors, values });
  }

  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; snapshot(); }, 250);
  };
  container.addEventListener("input", saveSoon);
  container.addEventListener("change", saveSoon);
  // A reload or a closed tab within the pause after the last key: what was typed is written now, not lost.
  window.addEventListener("pagehide", () => {
    if (timer === null || !container.isConnected) return;
    clearTimeout(timer);
    timer = null;
    snapshot();
  });

  return {
    /** Opens the forms that were open and fills in what was typed; says so when there was something. */
    restore(known) {
      const saved = unsentFor(user, view.draftId);
      if (!saved) { restored = true; return false; }
      for (const [nodeId, editor] of saved.editors ?? []) if (nodeId === "end" || known(nodeId)) view.openEditors.set(nodeId, editor);
      // Drawing the forms again must not keep them empty: nothing is written until their text is back in them.
      view.renderDocument();
      let filled = 0;
      container.querySelectorAll(TEXT_FIELDS).forEach((el) => {
        const value = saved.values?.[el.dataset.keep];
        if (value !== undefined) { el.value = value; filled += 1; }
      });
      restored = true;
      snapshot();
      // Counters and mention lists follow the text put back.
      container.querySelectorAll(TEXT_FIELDS).forEach((el) => {
        if (saved.values?.[el.dataset.keep] !== undefined) el.dispatchEvent(new Event("input"));
      });
      if (filled) view.notice(t("work.restored"));
      return filled > 0;
    },
    /** Called after the document is drawn again (a form sent, cancelled or emptied): keeps what is still unsent. */
    save: () => snapshot(),
  };
}
