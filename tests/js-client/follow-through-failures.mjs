// Follows a draft through the official JavaScript client the way the web app does, across node failures:
// applies only position = last + 1, drops what it has, asks for a gap (UpdatesSince), joins again with its last
// position after every reconnect, and starts again if the client gives up. Prints one JSON line per applied
// position ({"kind":"applied","position":N}) and per reconnect. Runs until killed.
// Usage: node follow-through-failures.mjs <server> <token> <draftId> <transport> <lastPosition>
import * as signalR from "@microsoft/signalr";

const [server, token, draftId, transportName, lastText] = process.argv.slice(2);
const transport = signalR.HttpTransportType[transportName];
let last = Number(lastText);
const ahead = new Map();
let fetching = false;

const say = (line) => console.log(JSON.stringify(line));

function offer(update) {
  if (update.draftId !== draftId || update.position <= last) return;
  if (update.position > last + 1) { ahead.set(update.position, update); return; }
  apply(update);
  while (ahead.has(last + 1)) { const next = ahead.get(last + 1); ahead.delete(last + 1); apply(next); }
}

function apply(update) {
  last = update.position;
  say({ kind: "applied", position: update.position });
}

function absorb(result) {
  if (result.reload && result.position > last) { say({ kind: "reload", position: result.position }); last = result.position; }
  for (const update of result.updates) offer(update);
}

async function fetchIfBehind() {
  if (fetching || ahead.size === 0) return;
  fetching = true;
  try { absorb(await connection.invoke("UpdatesSince", draftId, last)); }
  catch { /* fetched again at the next update or after reconnecting */ }
  finally { fetching = false; }
  if (ahead.size > 0) setTimeout(fetchIfBehind, 50);
}

async function join() {
  fetching = true;
  try { absorb(await connection.invoke("JoinDraft", draftId, last)); }
  finally { fetching = false; }
  await fetchIfBehind();
}

const connection = new signalR.HubConnectionBuilder()
  .withUrl(new URL("/hubs/drafts", server).toString(), { accessTokenFactory: () => token, transport })
  .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (context) => (context.previousRetryCount === 0 ? 0 : 200) })
  .configureLogging(signalR.LogLevel.None)
  .build();
connection.serverTimeoutInMilliseconds = 15000;
connection.keepAliveIntervalInMilliseconds = 5000;

connection.on("updates", (updates) => { for (const u of updates) offer(u); fetchIfBehind(); });
connection.on("presence", () => {});
// Group membership does not survive a reconnect: join again from the last applied position.
connection.onreconnected(async () => { say({ kind: "reconnected", position: last }); await join().catch(() => connection.stop()); });
// The client gave up (or the server closed without the reconnect hint): start over, as the web app does.
connection.onclose(() => setTimeout(start, 200));

async function start() {
  try {
    await connection.start();
    await join();
    say({ kind: "joined", position: last });
  } catch {
    // Connected but the join failed: stopping closes the connection, and closing starts over.
    if (connection.state === signalR.HubConnectionState.Connected) connection.stop();
    else setTimeout(start, 200);
  }
}

await start();
