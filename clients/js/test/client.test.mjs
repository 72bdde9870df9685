// The client against the real runtime: the test host (tests/AgentBridge.ClientTestHost) started as a process,
// reached over real sockets with Node's `ws` (Node 20 has no WebSocket of its own).
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import WebSocket from "ws";
import { AgentBridgeClient, CloseCodes, backoffDelay } from "../agentbridge-client.js";
import { post, signIn, webSocketWith } from "./helpers/auth.mjs";
import { startApp } from "./helpers/server.mjs";
import { startProxy } from "./helpers/tcp-proxy.mjs";
import { contiguous, record, sleep, waitFor } from "./helpers/wait.mjs";

const hostProject = "tests/AgentBridge.ClientTestHost";
const fastBackoff = { initialDelayMs: 20, maxDelayMs: 200 };
let users = 0;

/** Browsers never show why an upgrade failed: this WebSocket hides it the same way (its error events say nothing). */
class Opaque extends WebSocket {
  set onerror(listener) {
    super.onerror = listener && (() => listener({ type: "error" }));
  }
  get onerror() {
    return super.onerror;
  }
}
const newUser = (name) => `${name}-${process.pid}-${++users}`;

// Every client a test starts is stopped after it, passed or failed, so that no timer keeps the process alive.
const clients = new Set();
afterEach(() => {
  for (const client of clients) client.stop();
  clients.clear();
});

/** Starts the test host with these arguments before the tests of the enclosing suite, and stops it after them. */
function hostFor(args) {
  const host = {};
  before(async () => Object.assign(host, await startApp(hostProject, args)));
  after(() => host.stop?.());
  return host;
}

/** Records a client and makes sure it is stopped after the test. */
function track(client) {
  clients.add(client);
  return record(client);
}

/** Signs a new user in on the host and returns what a test needs to open clients for that user. */
async function userOn(host, name) {
  const { cookie, body } = await signIn(host.url, newUser(name), "/login");
  return {
    cookie,
    token: body.token,
    emit: (body) => post(host.url, "/emit", cookie, body),
    run: (body) => post(host.url, "/run", cookie, body),
    /** Opens a client, waits until it is live, emits a burst of `count` events and waits until it has them. */
    async openWith(count, options = {}) {
      const opened = this.open(options);
      await live(opened.client);
      await this.emit({ count });
      await received(opened.log, count);
      return opened;
    },
    /** Opens a started client for this user (through `via`, a proxy's URL, if given); `sockets` gets every socket it opened. */
    open(options = {}, WebSocketClass = undefined, via = host.url) {
      const sockets = [];
      const client = new AgentBridgeClient({
        url: `${via}/events`,
        WebSocket: WebSocketClass ?? webSocketWith({ cookie }, sockets),
        backoff: fastBackoff,
        heartbeatIntervalMs: 0,
        ...options,
      });
      const log = track(client);
      client.start();
      return { client, log, sockets };
    },
  };
}

/** Runs `test` with a TCP proxy in front of the host (helpers/tcp-proxy.mjs), and closes the proxy after it. */
async function throughProxy(host, test) {
  const proxy = await startProxy(host.url);
  try {
    await test(proxy);
  } finally {
    await proxy.close();
  }
}

const live = (client) => waitFor(() => client.state === "live", { message: "the client to be live" });
const seqs = (log) => log.events.map((e) => e.seq);
const ticks = (log) => log.events.filter((e) => e.type === "tick").map((e) => e.data.i);
const oneTo = (n) => Array.from({ length: n }, (_, i) => i + 1);

/** Waits for `n` events; on a timeout, says what arrived. */
const received = (log, n, timeoutMs = 20_000) =>
  waitFor(() => log.events.length >= n, {
    timeoutMs,
    message: `${n} events`,
    describe: () => `(got ${log.events.length}; statuses ${log.statuses.map((s) => s.state + (s.code ? `:${s.code}` : "")).join(",")})`,
  });

describe("backoffDelay", () => {
  const options = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 };

  it("lies between the ceiling less the jitter and the ceiling, for every attempt", () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(1000, 100 * 2 ** (attempt - 1));
      assert.equal(backoffDelay(attempt, options, () => 0), ceiling);
      assert.equal(backoffDelay(attempt, options, () => 1), ceiling * 0.5);
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt, options);
        assert.ok(delay >= ceiling * 0.5 && delay <= ceiling, `attempt ${attempt}: ${delay} outside [${ceiling / 2}, ${ceiling}]`);
      }
    }
  });

  it("grows exponentially up to the cap and stays there", () => {
    const ceilings = oneTo(8).map((attempt) => backoffDelay(attempt, options, () => 0));
    assert.deepEqual(ceilings, [100, 200, 400, 800, 1000, 1000, 1000, 1000]);
  });

  it("spreads clients that retry at once (jitter), and has sane defaults", () => {
    const delays = new Set(oneTo(20).map(() => backoffDelay(3, options)));
    assert.ok(delays.size > 10, `only ${delays.size} distinct delays out of 20`);
    assert.equal(backoffDelay(1, {}, () => 0), 500);
    assert.equal(backoffDelay(99, {}, () => 0), 30_000);
  });
});

describe("against the test host", () => {
  const host = hostFor(["--AgentBridge:ReplayWindowSize=10000"]);

  it("delivers every event once and in order, and two tabs of one user see the same stream", async () => {
    const user = await userOn(host, "tabs");
    const a = user.open();
    const b = user.open();
    await live(a.client);
    await live(b.client);
    await user.emit({ count: 200 });
    await received(a.log, 200);
    await received(b.log, 200);
    assert.ok(contiguous(seqs(a.log), 1));
    assert.deepEqual(ticks(a.log), oneTo(200));
    assert.deepEqual(seqs(b.log), seqs(a.log));
    a.client.stop();
    b.client.stop();
  });

  it("resumes after an abrupt close with no event lost and none twice", async () => {
    const user = await userOn(host, "abrupt");
    const { client, log, sockets } = user.open();
    await live(client);
    await user.emit({ count: 400, delayMs: 2 });
    await received(log, 100);
    sockets.at(-1).terminate(); // no close frame: the connection just dies
    await received(log, 400);
    assert.ok(contiguous(seqs(log), 1), "seq has a gap or a repeat");
    assert.deepEqual(ticks(log), oneTo(400));
    assert.ok(log.statuses.some((s) => s.state === "reconnecting" && s.code === 1006));
    assert.ok(client.stats.connects >= 2);
    client.stop();
  });

  it("de-duplicates when replay and live events overlap on every reconnect", async () => {
    // A slow uplink: the client's resume reaches the server 50 ms late, so live events of the running burst
    // arrive before the "resumed" answer and again in the replay after it.
    const user = await userOn(host, "overlap");
    const sockets = [];
    class SlowUplink extends WebSocket {
      constructor(url, protocols) {
        super(url, protocols, { headers: { cookie: user.cookie } });
        sockets.push(this);
      }
      send(data) {
        setTimeout(() => this.readyState === WebSocket.OPEN && super.send(data), 50);
      }
    }
    const { client, log } = user.open({}, SlowUplink);
    await live(client);
    await user.emit({ count: 1500, delayMs: 1 });
    for (const cutAt of [300, 700, 1100]) {
      await received(log, cutAt);
      sockets.at(-1).terminate();
    }
    await received(log, 1500, 40_000);
    assert.equal(log.events.length, 1500);
    assert.ok(contiguous(seqs(log), 1), "seq has a gap or a repeat");
    assert.deepEqual(ticks(log), oneTo(1500));
    assert.ok(client.stats.connects >= 4);
    assert.ok(client.stats.ignoredBeforeResume > 0, "no live event overlapped a replay: the test proved nothing");
    client.stop();
  });

  it("drops frames delivered twice", async () => {
    // A transport that hands every frame over twice (as a retrying proxy might).
    const user = await userOn(host, "twice");
    class Repeating extends WebSocket {
      constructor(url, protocols) {
        super(url, protocols, { headers: { cookie: user.cookie } });
      }
      set onmessage(listener) {
        super.onmessage = listener && ((event) => (listener(event), listener(event)));
      }
      get onmessage() {
        return super.onmessage;
      }
    }
    const { client, log } = user.open({}, Repeating);
    await live(client);
    await user.emit({ count: 100 });
    await received(log, 100);
    await sleep(100);
    assert.deepEqual(ticks(log), oneTo(100));
    assert.equal(client.stats.duplicates, 100);
    client.stop();
  });

  it("continues from a saved position (a reloaded page) with exactly the events it had not seen", async () => {
    const user = await userOn(host, "position");
    const first = user.open();
    await live(first.client);
    await user.emit({ count: 10 });
    await received(first.log, 10);
    const saved = first.client.position();
    first.client.stop();
    await user.emit({ count: 5 });
    await sleep(200);

    const second = user.open({ resumeFrom: saved });
    await received(second.log, 5);
    await sleep(100);
    assert.deepEqual(seqs(second.log), [11, 12, 13, 14, 15]);
    assert.equal(second.log.resets.length, 0);
    second.client.stop();
  });

  it("sends a bearer token from the hook, fetched again for every connection", async () => {
    const user = await userOn(host, "bearer");
    let calls = 0;
    const sockets = [];
    class Plain extends WebSocket {
      constructor(url, protocols) {
        super(url, protocols);
        sockets.push(this);
      }
    }
    const { client, log } = user.open({ accessTokenFactory: async () => (calls++, user.token) }, Plain);
    await live(client);
    assert.match(sockets[0].url, /[?&]access_token=/);
    await user.emit({ count: 20 });
    await received(log, 20);
    sockets.at(-1).terminate();
    await waitFor(() => client.stats.connects === 2 && client.state === "live", { message: "a second connection" });
    await user.emit({ count: 10 });
    await received(log, 30);
    assert.ok(contiguous(seqs(log), 1));
    assert.equal(calls, 2);
    client.stop();
  });

  it("stops without retrying when the upgrade is refused with 401", async () => {
    const client = new AgentBridgeClient({ url: `${host.url}/events`, WebSocket, backoff: fastBackoff, accessTokenFactory: () => "not-a-token" });
    const log = track(client);
    client.start();
    await waitFor(() => client.state === "stopped", { message: "the client to stop" });
    await sleep(200);
    assert.deepEqual(log.statuses.at(-1).reason, "unauthorized");
    assert.equal(log.statuses.at(-1).status, 401);
    assert.ok(!log.statuses.some((s) => s.state === "reconnecting"));
    assert.equal(client.stats.connects, 0);
  });

  it("asks whether the user is signed in when a browser would hide the status, and stops on 401", async () => {
    const behindAuthorization = new AgentBridgeClient({ url: `${host.url}/events-authorized`, WebSocket: Opaque, backoff: fastBackoff });
    const authorizedLog = track(behindAuthorization);
    behindAuthorization.start();
    await waitFor(() => behindAuthorization.state === "stopped", { message: "the client to stop" });
    assert.equal(authorizedLog.statuses.at(-1).reason, "unauthorized");

    // The socket endpoint itself checks authentication before anything else, so a plain GET of it says 401 too.
    const plain = new AgentBridgeClient({ url: `${host.url}/events`, WebSocket: Opaque, backoff: fastBackoff });
    const plainLog = track(plain);
    plain.start();
    await waitFor(() => plain.state === "stopped", { message: "the client to stop" });
    assert.equal(plainLog.statuses.at(-1).reason, "unauthorized");

    // Where the check says the user is signed in, a failed connect is retried.
    const signedIn = new AgentBridgeClient({ url: `${host.url}/events`, WebSocket: Opaque, backoff: fastBackoff, authCheck: async () => true });
    const signedInLog = track(signedIn);
    signedIn.start();
    await waitFor(() => signedInLog.statuses.filter((s) => s.state === "reconnecting").length >= 2, { message: "two retries" });
    assert.notEqual(signedIn.state, "stopped");
    signedIn.stop();
  });

  it("asks with the socket's access token, so a signed-in user whose connect failed for a hidden reason keeps going", async () => {
    await throughProxy(host, async (proxy) => {
      const user = await userOn(host, "hidden-bearer");
      proxy.resetNext(1); // the first connection fails before anything is said
      const { client, log } = user.open({ accessTokenFactory: () => user.token }, Opaque, proxy.url);
      await live(client);
      // The failed socket, the check's GET (the token authenticates it: 400, not 401), the socket that opened.
      assert.equal(proxy.accepted, 3);
      assert.deepEqual(log.statuses.filter((s) => s.state === "reconnecting").map((s) => s.code), [1006]);
      await user.emit({ count: 3 });
      await received(log, 3);
      client.stop();
    });
  });

  it("in Node, takes `ws`'s word for why a connect failed and asks no check (a GET without the socket's cookie would say 401)", async () => {
    await throughProxy(host, async (proxy) => {
      const user = await userOn(host, "told");
      proxy.resetNext(2);
      const { client, log } = user.open({}, undefined, proxy.url);
      await live(client);
      assert.equal(proxy.accepted, 3, "two failed sockets and the one that opened; no GET in between");
      assert.deepEqual(log.statuses.filter((s) => s.state === "reconnecting").map((s) => s.attempt), [1, 2]);
      await user.emit({ count: 3 });
      await received(log, 3);
      client.stop();
    });
  });

  it("gives a connection attempt up when the network says nothing, retries with backoff, and connects once it is back", async () => {
    await throughProxy(host, async (proxy) => {
      const user = await userOn(host, "connect-timeout");
      proxy.freeze(); // new connections are accepted and then hear nothing
      const { client, log } = user.open({ connectTimeoutMs: 300 }, undefined, proxy.url);
      await waitFor(() => log.statuses.filter((s) => s.state === "reconnecting").length >= 2, { message: "two given-up attempts" });
      const attempts = log.statuses.filter((s) => s.state === "connecting" || s.state === "reconnecting").slice(0, 4);
      assert.deepEqual(attempts.map((s) => [s.state, s.attempt, s.reason]), [
        ["connecting", 0, undefined],
        ["reconnecting", 1, "connect timeout"],
        ["connecting", 1, undefined],
        ["reconnecting", 2, "connect timeout"],
      ]);
      assert.ok(attempts[1].at - attempts[0].at >= 295, `given up after ${attempts[1].at - attempts[0].at} ms`);
      assert.equal(client.stats.connects, 0);
      proxy.thaw();
      await live(client);
      await user.emit({ count: 3 });
      await received(log, 3);
      assert.equal(log.errors.length, 0);
      client.stop();
    });
  });

  it("stops without retrying after a terminal close code (1008: too many messages)", async () => {
    const user = await userOn(host, "policy");
    const { client, log } = user.open();
    await live(client);
    for (let i = 0; i < 30; i++) client.ping();
    await waitFor(() => client.state === "stopped", { message: "the client to stop" });
    await sleep(300);
    const last = log.statuses.at(-1);
    assert.equal(last.reason, "closed");
    assert.equal(last.code, CloseCodes.PolicyViolation);
    assert.equal(client.stats.connects, 1);
    assert.ok(!log.statuses.some((s) => s.state === "reconnecting"));
  });

  it("gives a silent connection up after a missed heartbeat and resumes through the same network", async () => {
    await throughProxy(host, async (proxy) => {
      const user = await userOn(host, "silent");
      const { client, log } = user.open({ heartbeatIntervalMs: 200, heartbeatTimeoutMs: 300 }, undefined, proxy.url);
      await live(client);
      await user.emit({ count: 10 });
      await received(log, 10);
      proxy.freeze(); // the network goes silent; no connection is closed
      await user.emit({ count: 20 });
      await waitFor(() => log.statuses.some((s) => s.reason === "heartbeat timeout"), { message: "the heartbeat to give up" });
      assert.equal(log.events.length, 10);
      proxy.thaw();
      await received(log, 30);
      assert.ok(contiguous(seqs(log), 1));
      assert.deepEqual(ticks(log), [...oneTo(10), ...oneTo(20)]);
      client.stop();
    });
  });
});

describe("when the server closes the socket (4001: the client read too slowly)", () => {
  const host = hostFor(["--AgentBridge:MaxQueuedEventsPerConnection=16", "--AgentBridge:ReplayWindowSize=10000"]);

  it("reconnects, resumes and receives every event once", async () => {
    const user = await userOn(host, "overflow");
    let first = true;
    class StallsOnce extends WebSocket {
      constructor(url, protocols) {
        super(url, protocols, { headers: { cookie: user.cookie } });
        if (first) {
          first = false;
          // The first connection stops reading for a while: its queue on the server overflows.
          this.once("open", () => {
            this._socket.pause();
            setTimeout(() => this._socket.resume(), 700);
          });
        }
      }
    }
    const { client, log } = user.open({}, StallsOnce);
    await live(client);
    await user.emit({ count: 3000, padding: 1000 });
    await received(log, 3000, 40_000);
    assert.ok(log.statuses.some((s) => s.state === "reconnecting" && s.code === CloseCodes.QueueOverflow), "no 4001 close happened");
    assert.ok(contiguous(seqs(log), 1));
    assert.deepEqual(ticks(log), oneTo(3000));
    client.stop();
  });
});

describe("when the user's stream restarts with a new epoch", () => {
  // Streams of users without a connection are dropped one second after their last event expired.
  const host = hostFor(["--AgentBridge:ReplayWindowAge=00:00:01"]);

  it("tells the app to reset, then delivers the new stream from its start", async () => {
    const user = await userOn(host, "epoch");
    const { client, log } = await user.openWith(5);
    const oldEpoch = client.epoch;
    client.stop();
    await sleep(4000); // the server forgets the idle stream

    client.start();
    await waitFor(() => log.resets.length === 1 && client.state === "live", { message: "a reset" });
    const [reset] = log.resets;
    assert.equal(reset.reason, "epoch");
    assert.equal(reset.previousEpoch, oldEpoch);
    assert.notEqual(reset.epoch, oldEpoch);
    assert.equal(reset.lastSeq, 5);
    assert.equal(client.epoch, reset.epoch);

    await user.emit({ count: 3 });
    await received(log, 8);
    assert.deepEqual(seqs(log), [1, 2, 3, 4, 5, 1, 2, 3], "the new epoch numbers from 1 again");
    assert.equal(reset.atEvent, 5, "the reset came before the new stream's events");
    client.stop();
  });
});

describe("when missed events left the replay window", () => {
  const host = hostFor(["--AgentBridge:ReplayWindowSize=10"]);

  it("tells the app to reset, then replays what the window still holds", async () => {
    const user = await userOn(host, "expired");
    const { client, log } = await user.openWith(3);
    client.stop();
    await user.emit({ count: 30 });
    await sleep(300);

    client.start();
    await received(log, 13);
    await sleep(100);
    assert.equal(log.resets.length, 1);
    assert.equal(log.resets[0].reason, "expired");
    assert.equal(log.resets[0].oldestSeq, 24);
    assert.deepEqual(seqs(log), [1, 2, 3, ...oneTo(10).map((i) => 23 + i)]);
    client.stop();
  });

  it("with replay off, starts from live events and skips the window after a reset", async () => {
    const user = await userOn(host, "noreplay");
    await user.emit({ count: 5 });
    await sleep(300);
    const { client, log } = user.open({ replay: false });
    await live(client);
    await user.emit({ count: 2 });
    await received(log, 2);
    await sleep(100);
    assert.deepEqual(seqs(log), [6, 7]);
    client.stop();
  });
});

describe("when the server goes away and comes back", () => {
  it("retries within the backoff bounds, growing to the cap, then resumes on the new server with a reset and starts counting over", async () => {
    const backoff = { initialDelayMs: 50, maxDelayMs: 400, factor: 2, jitter: 0.5 };
    let host = await startApp(hostProject);
    const port = new URL(host.url).port;
    try {
      const user = await userOn(host, "restart");
      const { client, log, sockets } = user.open({ backoff });
      await live(client);
      await user.emit({ count: 3 });
      await received(log, 3);
      await host.stop(); // closes every socket with 1001; then nothing listens
      await waitFor(() => log.statuses.filter((s) => s.state === "reconnecting").length >= 7, { message: "seven retries", describe: () => JSON.stringify(log.statuses) });

      const retries = log.statuses.filter((s) => s.state === "reconnecting").slice(0, 6);
      assert.equal(retries[0].code, CloseCodes.GoingAway);
      retries.forEach((retry, index) => {
        const ceiling = Math.min(400, 50 * 2 ** index);
        assert.equal(retry.attempt, index + 1);
        assert.ok(retry.delayMs >= ceiling / 2 && retry.delayMs <= ceiling, `attempt ${index + 1}: ${retry.delayMs} ms outside [${ceiling / 2}, ${ceiling}]`);
        const next = log.statuses.find((s) => s.at >= retry.at && s.state === "connecting" && s.attempt === retry.attempt);
        assert.ok(next, `attempt ${index + 1} never started`);
        assert.ok(next.at - retry.at >= retry.delayMs - 5, `attempt ${index + 1} started after ${next.at - retry.at} ms, before its ${retry.delayMs} ms`);
      });

      // The same address again, a new process: the user's stream starts over with a new epoch.
      host = await startApp(hostProject, [], { urls: `http://127.0.0.1:${port}` });
      await waitFor(() => client.state === "live" && log.resets.length === 1, { timeoutMs: 20_000, message: "a resume on the new server" });
      assert.equal(log.resets[0].reason, "epoch");
      await user.emit({ count: 2 });
      await received(log, 5);
      assert.deepEqual(seqs(log), [1, 2, 3, 1, 2]);

      const before = log.statuses.length;
      sockets.at(-1).terminate();
      await waitFor(() => log.statuses.slice(before).some((s) => s.state === "live"), { message: "a reconnect" });
      assert.deepEqual(log.statuses.slice(before).filter((s) => s.state === "reconnecting").map((s) => s.attempt), [1], "a successful resume resets the attempt count");
      client.stop();
    } finally {
      await host.stop();
    }
  });
});
