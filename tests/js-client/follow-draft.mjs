// Joins a draft through the official JavaScript client and reports, one JSON line each on stdout,
// the join result and the first pushed updates. Usage: node follow-draft.mjs <server> <token> <draftId> <transport> <count>
import * as signalR from "@microsoft/signalr";

const [server, token, draftId, transportName, countText] = process.argv.slice(2);
const transport = signalR.HttpTransportType[transportName];
const wanted = Number(countText);

const connection = new signalR.HubConnectionBuilder()
  .withUrl(new URL("/hubs/drafts", server).toString(), { accessTokenFactory: () => token, transport })
  .configureLogging(signalR.LogLevel.Warning)
  .build();

let received = 0;
connection.on("updates", (updates) => {
  for (const update of updates) {
    console.log(JSON.stringify({ kind: "update", transport: connection.connection.transport?.constructor?.name, update }));
    received++;
  }
  if (received >= wanted) connection.stop().then(() => process.exit(0));
});

setTimeout(() => { console.error(`timed out after ${received} updates`); process.exit(2); }, 20000);

await connection.start();
const joined = await connection.invoke("JoinDraft", draftId, 0);
console.log(JSON.stringify({ kind: "joined", joined }));
