// Joins a draft far behind through the official JavaScript client, the way the README's live section says:
// apply `joined`, then while `more` ask UpdatesSince from the position reached; then ask Head and compare.
// Prints one JSON line: the positions applied in order, the pages it took, and the head.
// Usage: node catch-up.mjs <server> <token> <draftId> <transport>
import * as signalR from "@microsoft/signalr";

const [server, token, draftId, transportName] = process.argv.slice(2);

const connection = new signalR.HubConnectionBuilder()
  .withUrl(new URL("/hubs/drafts", server).toString(), { accessTokenFactory: () => token, transport: signalR.HttpTransportType[transportName] })
  .configureLogging(signalR.LogLevel.Warning)
  .build();

setTimeout(() => { console.error("timed out"); process.exit(2); }, 20000);

const applied = [];
let last = 0;
function apply(page) {
  for (const update of page.updates) {
    if (update.position !== last + 1) continue;
    applied.push(update.position);
    last = update.position;
  }
}

await connection.start();
let page = await connection.invoke("JoinDraft", draftId, 0);
apply(page);
let pages = 1;
while (page.more) {
  page = await connection.invoke("UpdatesSince", draftId, last);
  apply(page);
  pages++;
}
const head = await connection.invoke("Head", draftId);
console.log(JSON.stringify({ kind: "caught-up", applied, pages, last, head: head.position }));
await connection.stop();
process.exit(0);
