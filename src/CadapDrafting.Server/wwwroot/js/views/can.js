// What the signed-in person may do on a draft: the server's access policy, mirrored so the page offers only
// controls that can work. The server still decides; a refusal is shown as its problem.
import { session } from "../session.js";

const ownCountry = (draft) => session.user?.country && session.user.country === draft.country;
const open = (draft) => draft.status === "Drafting" || draft.status === "Consultation";

export const can = {
  propose: (draft) => open(draft) &&
    (((session.has("Drafter") || session.has("Editor")) && ownCountry(draft)) || (session.has("EuExpert") && draft.status === "Consultation")),
  decide: (draft) => open(draft) && session.has("Editor") && ownCountry(draft),
  comment: (draft, publicRound) => open(draft) &&
    (((session.has("Drafter") || session.has("Editor")) && ownCountry(draft)) ||
     (session.has("EuExpert") && draft.status === "Consultation") ||
     (session.has("Cso") && draft.status === "Consultation" && publicRound)),
  dispose: (draft) => open(draft) && session.has("Editor") && ownCountry(draft),
  manage: (draft) => session.has("Editor") && ownCountry(draft),
  signOff: (draft) => draft.status === "Review" && session.has("Approver") && ownCountry(draft),
  isAuthor: (item) => item.author === session.user?.id,
};
