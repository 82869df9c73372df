// What the signed-in person may do on a draft, as the server says in the draft's `allowedActions` (from the access
// policy and the lifecycle rules): the page offers only controls that can work. The server still decides.
import { session } from "../session.js";

const allows = (draft, action) => (draft?.allowedActions ?? []).includes(action);

export const can = {
  propose: (draft) => allows(draft, "ProposeChange"),
  decide: (draft) => allows(draft, "DecideProposal"),
  comment: (draft) => allows(draft, "Comment"),
  resolveAny: (draft) => allows(draft, "ResolveAnyThread"),
  dispose: (draft) => allows(draft, "DisposeComment"),
  openRound: (draft) => allows(draft, "OpenConsultation"),
  closeRound: (draft) => allows(draft, "CloseConsultation"),
  setPolicy: (draft) => allows(draft, "SetApprovalPolicy"),
  startReview: (draft) => allows(draft, "StartReview"),
  returnToDrafting: (draft) => allows(draft, "ReturnToDrafting"),
  withdraw: (draft) => allows(draft, "Withdraw"),
  newEdition: (draft) => allows(draft, "StartNewEdition"),
  nameVersion: (draft) => allows(draft, "NameVersion"),
  signOff: (draft) => allows(draft, "SignOff"),
  exportEvidence: (draft) => allows(draft, "ExportEvidence"),
  isAuthor: (item) => item.author === session.user?.id,
};
