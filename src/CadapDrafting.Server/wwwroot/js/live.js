// Following a draft over the hub. Positions are contiguous: apply only last + 1, ignore what was applied,
// and fetch the gap when a later position arrives first. After a reconnect the draft is joined again with
// the last applied position, which returns everything missed meanwhile, a page at a time (`more`). Head is
// asked now and then: a lost last update has no later one to reveal it.
import { session } from "./session.js";

/** How long the server may be silent before the connection counts as lost (it pings every 1.5 s). */
export const SERVER_SILENCE_MS = 3_500;

// The client's own notes go to the console as warnings: a dropped connection is expected on a train or a bad line,
// and the page itself says so and reconnects ("Connection lost — reconnecting…"); it is not a failure of the page.
export const connectionLog = {
  log(level, message) {
    const { LogLevel } = window.signalR;
    if (level >= LogLevel.Warning && level !== LogLevel.None) console.warn(`[live] ${message}`);
  },
};

export function followDraft(draftId, lastPosition, handlers) {
  const signalR = window.signalR;
  let last = lastPosition;
  let stopped = false;
  let fetchingGap = false;
  let presenceAt = null;
  let knownHead = 0;
  const waiting = new Map();

  const connection = new signalR.HubConnectionBuilder()
    .withUrl("/hubs/drafts", { accessTokenFactory: () => session.token })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (c) => (stopped ? null : Math.min(500 * 2 ** c.previousRetryCount, 10_000)) })
    .configureLogging(connectionLog)
    .build();
  // The server sends a keep-alive every 1.5 s (Live:KeepAliveSeconds) when it has nothing else to say: 3.5 seconds of
  // silence means the connection is gone, so the page says "reconnecting" within 5 s of a lost network, not after 30.
  connection.serverTimeoutInMilliseconds = SERVER_SILENCE_MS;
  connection.keepAliveIntervalInMilliseconds = 2_000;

  function receive(update) {
    if (update.position <= last) return;
    if (update.position !== last + 1) {
      waiting.set(update.position, update);
      fetchGap();
      return;
    }
    last = update.position;
    handlers.applied(update);
    const next = waiting.get(last + 1);
    waiting.delete(last + 1);
    for (const position of [...waiting.keys()]) if (position <= last) waiting.delete(position);
    if (next) receive(next);
  }

  function caughtUp(missed) {
    if (missed.reload) {
      waiting.clear();
      last = missed.position;
      handlers.reload();
      return 0;
    }
    const before = last;
    for (const update of missed.updates) receive(update);
    if (missed.more) knownHead = Math.max(knownHead, missed.position + 1);
    return last - before;
  }

  async function fetchGap() {
    if (fetchingGap) return;
    fetchingGap = true;
    try {
      caughtUp(await connection.invoke("UpdatesSince", draftId, last));
    } catch (error) {
      handlers.failed?.(error);
    } finally {
      fetchingGap = false;
    }
    if ((waiting.size > 0 && !waiting.has(last + 1)) || knownHead > last) fetchGap();
  }

  async function checkHead() {
    if (connection.state !== signalR.HubConnectionState.Connected) return;
    try {
      knownHead = Math.max(knownHead, (await connection.invoke("Head", draftId)).position);
      if (knownHead > last) fetchGap();
    } catch (error) {
      handlers.failed?.(error);
    }
  }

  async function join() {
    const joined = await connection.invoke("JoinDraft", draftId, last);
    handlers.presence(joined.viewers);
    const applied = caughtUp(joined);
    if (joined.more) fetchGap();
    return applied;
  }

  connection.on("updates", (updates) => updates.forEach(receive));
  connection.on("presence", (change) => { if (change.draftId === draftId) handlers.presence(change.viewers); });
  connection.onreconnecting(() => handlers.connection("reconnecting"));
  connection.onreconnected(async () => {
    presenceAt = null;
    try {
      handlers.connection("reconnected", await join());
    } catch (error) {
      handlers.failed?.(error);
    }
  });
  // A long-polling connection the server dropped (this viewer fell too far behind) closes without an error, which
  // the automatic reconnect does not cover: start again and join from the last applied position.
  connection.onclose((error) => {
    if (stopped) return;
    handlers.connection("offline");
    if (!error) setTimeout(() =>
        { if (!stopped) connection.start().then(join).then(() => handlers.connection("live")).catch((e) => handlers.failed?.(e)); }, 1000);
  });

  // The browser knows at once when the network is gone; the keep-alive timeout covers a network that hangs silently.
  const wentOffline = () => { if (!stopped) handlers.connection("reconnecting"); };
  const cameOnline = () => {
    if (stopped || connection.state !== signalR.HubConnectionState.Connected) return;
    handlers.connection("live");
    checkHead();
  };
  window.addEventListener("offline", wentOffline);
  window.addEventListener("online", cameOnline);

  const headCheck = setInterval(checkHead, 60_000);
  const started = connection.start()
    .then(join)
    .then(() => handlers.connection("live"))
    .catch((error) => { handlers.connection("offline"); handlers.failed?.(error); });

  return {
    get position() { return last; },
    /** Says where this person works; only a change is sent, so re-rendering the focused node sends nothing. */
    setPresence(nodeId) {
      if (nodeId === presenceAt || connection.state !== signalR.HubConnectionState.Connected) return;
      presenceAt = nodeId;
      connection.invoke("SetPresence", draftId, nodeId).catch(() => { presenceAt = undefined; });
    },
    async stop() {
      stopped = true;
      clearInterval(headCheck);
      window.removeEventListener("offline", wentOffline);
      window.removeEventListener("online", cameOnline);
      await started;
      try { await connection.invoke("LeaveDraft", draftId); } catch { /* closing anyway */ }
      await connection.stop();
    },
  };
}
