// @ts-check
// The AgentBridge browser client: an ES module with no dependencies. It connects to the event socket, resumes
// after every reconnect with de-duplication by `seq`, tells the app when the stream was reset (a new `epoch`,
// or events that fell out of the replay window), reconnects with exponential backoff and jitter, and maps
// frames to AG-UI 1.0 events. The wire protocol it speaks is docs/protocol.md; its guide is docs/client.md.

/** The six standard event types. */
export const EventTypes = Object.freeze({
  AgentStarted: "agent_started",
  AgentThinking: "agent_thinking",
  ToolExecuting: "tool_executing",
  ToolCompleted: "tool_completed",
  AgentMessage: "agent_message",
  AgentCompleted: "agent_completed",
});

/** @type {Set<string>} */
const standardTypes = new Set(Object.values(EventTypes));

/**
 * Whether a frame is one of the six standard events (then `data` has the standard shape).
 * @param {import("./agentbridge-client.js").AgentBridgeEvent} frame
 * @returns {frame is import("./agentbridge-client.js").StandardEvent}
 */
export function isStandardEvent(frame) {
  return standardTypes.has(frame.type);
}

/** The close codes of the event socket (AgentBridgeCloseCodes on the server). */
export const CloseCodes = Object.freeze({
  NormalClosure: 1000,
  GoingAway: 1001,
  UnsupportedData: 1003,
  InvalidPayloadData: 1007,
  PolicyViolation: 1008,
  MessageTooBig: 1009,
  InternalError: 1011,
  QueueOverflow: 4001,
  TooManyConnections: 4002,
});

/**
 * Close codes after which reconnecting cannot help: the client broke a policy (1008: too many messages; 4002:
 * too many connections for this user) or sent what the server cannot read (1003, 1007, 1009).
 */
export const TerminalCloseCodes = Object.freeze([1003, 1007, 1008, 1009, 4002]);

// The code this client closes with when it gives a socket up (heartbeat timeout, reconnect()).
const AbandonedCode = 4000;

/**
 * The delay before reconnect attempt `attempt` (1, 2, …): exponential, capped, with jitter taken off the top,
 * so that it lies in [ceiling × (1 − jitter), ceiling] where ceiling = min(maxDelayMs, initialDelayMs × factor^(attempt−1)).
 * @param {number} attempt
 * @param {import("./agentbridge-client.js").BackoffOptions} [options]
 * @param {() => number} [random]
 * @returns {number}
 */
export function backoffDelay(attempt, options = {}, random = Math.random) {
  const { initialDelayMs = 500, maxDelayMs = 30000, factor = 2, jitter = 0.5 } = options;
  const ceiling = Math.min(maxDelayMs, initialDelayMs * factor ** Math.max(0, attempt - 1));
  const spread = Math.min(1, Math.max(0, jitter));
  return Math.round(ceiling * (1 - spread * Math.min(1, Math.max(0, random()))));
}

/** @param {string | URL} url */
function toSocketUrl(url) {
  const resolved = new URL(String(url), globalThis.location?.href);
  resolved.protocol = resolved.protocol.replace(/^http/, "ws");
  return resolved;
}

/**
 * What a socket's error event says of the failure: "" when it says nothing, as a browser's never does.
 * @param {unknown} event
 */
function failureMessage(event) {
  const e = /** @type {{message?: unknown, error?: {message?: unknown}} | undefined} */ (event);
  return String(e?.message || e?.error?.message || "");
}

/** @param {unknown} event */
function httpStatusOf(event) {
  // A browser hides why an upgrade failed; Node's `ws` says "Unexpected server response: 401".
  const match = /server response: (\d{3})/.exec(failureMessage(event));
  return match ? Number(match[1]) : 0;
}

/**
 * The default authentication check after a socket failed to open for a reason the browser hides: asks the same
 * URL over HTTP, with the same access token and the browser's cookies, and treats 401/403 as signed out. An
 * endpoint that answers a plain GET only after authorization (e.g. `MapAgentBridge(...).RequireAuthorization()`)
 * gives a definite answer; any other answer, or no answer, keeps the client retrying.
 * @param {URL} socketUrl the URL the failed socket was opened with
 */
async function probeAuthentication(socketUrl) {
  if (typeof fetch !== "function") return true;
  const url = new URL(socketUrl);
  url.protocol = url.protocol.replace(/^ws/, "http");
  try {
    const response = await fetch(url, { credentials: "include", cache: "no-store" });
    return response.status !== 401 && response.status !== 403;
  } catch {
    return true;
  }
}

/** @param {unknown} error */
function rethrowLater(error) {
  // A listener's exception must not break the client's state machine, nor be swallowed.
  setTimeout(() => {
    throw error;
  });
}

/**
 * A connection to an AgentBridge event socket that survives reconnects: every event reaches the `event`
 * listeners exactly once and in `seq` order, as long as the server's replay window covers the time away;
 * when it does not, the `reset` listeners hear of it first.
 */
export class AgentBridgeClient {
  /** @type {Required<Pick<import("./agentbridge-client.js").AgentBridgeClientOptions, "replay" | "connectTimeoutMs" | "heartbeatIntervalMs" | "heartbeatTimeoutMs" | "accessTokenParameter">> & import("./agentbridge-client.js").AgentBridgeClientOptions} */
  #options;
  #url;
  /** @type {import("./agentbridge-client.js").WebSocketConstructor} */
  #WebSocket;
  /** @type {Set<number>} */
  #terminal;
  /** @type {Map<string, Set<Function>>} */
  #listeners = new Map();
  /** @type {import("./agentbridge-client.js").WebSocketLike | null} */
  #socket = null;
  /** @type {import("./agentbridge-client.js").ConnectionState} */
  #state = "idle";
  #lastSeq = 0;
  /** @type {string | null} */
  #epoch = null;
  #awaitingResume = false;
  #attempt = 0;
  #generation = 0;
  #stopped = true;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #retryTimer;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  #heartbeat;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #connectTimer;
  #lastFrameAt = 0;
  #pingSentAt = 0;
  #resumeSentFrom = 0;
  /** @type {URL | null} The latest connection attempt's URL, access token included: what the default check asks. */
  #attemptUrl = null;
  #stats = { applied: 0, duplicates: 0, ignoredBeforeResume: 0, resets: 0, connects: 0 };
  #onOnline = () => {
    if (this.#state === "reconnecting") {
      clearTimeout(this.#retryTimer);
      this.#connect();
    }
  };

  /** @param {import("./agentbridge-client.js").AgentBridgeClientOptions} options */
  constructor(options) {
    if (!options || !options.url) throw new TypeError("AgentBridgeClient: the 'url' option is required.");
    this.#options = { replay: true, connectTimeoutMs: 15000, heartbeatIntervalMs: 20000, heartbeatTimeoutMs: 10000, accessTokenParameter: "access_token", ...options };
    this.#url = toSocketUrl(options.url);
    const WebSocketClass = options.WebSocket ?? globalThis.WebSocket;
    if (typeof WebSocketClass !== "function") {
      throw new TypeError("AgentBridgeClient: no WebSocket here; pass one as the 'WebSocket' option (e.g. from the 'ws' package).");
    }
    this.#WebSocket = WebSocketClass;
    this.#terminal = new Set(options.terminalCloseCodes ?? TerminalCloseCodes);
    if (options.resumeFrom) {
      this.#lastSeq = options.resumeFrom.lastSeq;
      this.#epoch = options.resumeFrom.epoch ?? null;
    }
  }

  /** The connection's state. */
  get state() {
    return this.#state;
  }

  /** The `seq` of the last event delivered to the listeners (0 before the first). */
  get lastSeq() {
    return this.#lastSeq;
  }

  /** The epoch of the user's stream, once the server named it. */
  get epoch() {
    return this.#epoch;
  }

  /** Counters: events applied, duplicates dropped, frames ignored while a resume was pending, resets, connections opened. */
  get stats() {
    return { ...this.#stats };
  }

  /** Where the client stands, to save and pass back as `resumeFrom` (e.g. across a page reload). */
  position() {
    return { lastSeq: this.#lastSeq, epoch: this.#epoch ?? undefined };
  }

  /**
   * Adds a listener; returns a function that removes it.
   * @param {string} name
   * @param {Function} listener
   */
  on(name, listener) {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Connects (again, after stop(): from where the client left off). */
  start() {
    if (!this.#stopped) return this;
    this.#stopped = false;
    this.#attempt = 0;
    globalThis.addEventListener?.("online", this.#onOnline);
    this.#connect();
    return this;
  }

  /** Closes the socket and stops reconnecting. */
  stop() {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#generation++;
    globalThis.removeEventListener?.("online", this.#onOnline);
    this.#release(CloseCodes.NormalClosure, "client stopped");
    this.#setState("stopped", { reason: "stopped" });
  }

  /** Gives up the current socket and connects again now (for example when the app knows the network changed). */
  reconnect() {
    if (this.#stopped) return;
    this.#release(AbandonedCode, "reconnect");
    this.#attempt = 0;
    this.#connect();
  }

  /** Sends `{"type":"ping"}`; the server answers `pong` after every frame queued before it. */
  ping() {
    return this.#send({ type: "ping" });
  }

  /** @param {string} name @param {unknown} value */
  #emit(name, value) {
    for (const listener of this.#listeners.get(name) ?? []) {
      try {
        listener(value);
      } catch (error) {
        rethrowLater(error);
      }
    }
  }

  /** @param {import("./agentbridge-client.js").ConnectionState} state @param {object} [detail] */
  #setState(state, detail) {
    this.#state = state;
    this.#emit("status", { state, ...detail });
  }

  /** @param {object} message */
  #send(message) {
    const socket = this.#socket;
    if (!socket || socket.readyState !== 1) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  async #connect() {
    const generation = ++this.#generation;
    this.#setState("connecting", { attempt: this.#attempt });
    const url = new URL(this.#url);
    if (this.#options.accessTokenFactory) {
      let token;
      try {
        token = await this.#options.accessTokenFactory();
      } catch (error) {
        if (generation !== this.#generation || this.#stopped) return;
        this.#emit("error", error);
        this.#scheduleReconnect({ reason: "no access token" });
        return;
      }
      if (generation !== this.#generation || this.#stopped) return;
      if (token) url.searchParams.set(this.#options.accessTokenParameter, token);
    }
    this.#attemptUrl = url;

    /** @type {import("./agentbridge-client.js").WebSocketLike} */
    let socket;
    try {
      socket = new this.#WebSocket(url.href, this.#options.protocols);
    } catch (error) {
      this.#emit("error", error);
      this.#scheduleReconnect({ reason: String(error) });
      return;
    }
    this.#socket = socket;
    let opened = false;
    /** @type {unknown} */
    let failure;
    const limit = this.#options.connectTimeoutMs;
    if (limit > 0) {
      // A connection that neither opens nor fails (a silent network, a peer that accepted and says nothing) is
      // given up like a failed one; a browser's own limit, where it has one, is minutes.
      this.#connectTimer = setTimeout(() => {
        if (socket !== this.#socket || opened) return;
        this.#release(AbandonedCode, "connect timeout");
        this.#closed(1006, "connect timeout", false, { message: "connect timeout" }, generation);
      }, limit);
    }
    socket.onopen = () => {
      if (socket !== this.#socket) return;
      clearTimeout(this.#connectTimer);
      opened = true;
      this.#stats.connects++;
      this.#lastFrameAt = Date.now();
      this.#pingSentAt = 0;
      this.#resume(this.#lastSeq);
      this.#startHeartbeat(socket);
    };
    socket.onmessage = (message) => {
      if (socket === this.#socket && typeof message.data === "string") this.#receive(message.data);
    };
    socket.onerror = (event) => {
      failure = event;
    };
    socket.onclose = (event) => {
      if (socket !== this.#socket) return;
      this.#closed(event.code, event.reason, opened, failure, generation);
    };
  }

  /** @param {number} lastSeq */
  #resume(lastSeq) {
    this.#awaitingResume = true;
    this.#resumeSentFrom = lastSeq;
    this.#setState("resuming", { lastSeq });
    this.#send(this.#epoch ? { type: "resume", lastSeq, epoch: this.#epoch } : { type: "resume", lastSeq });
  }

  /** @param {string} text */
  #receive(text) {
    this.#lastFrameAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      this.#emit("error", new Error("The server sent a frame that is not JSON."));
      return;
    }
    if (!frame || typeof frame !== "object") return;
    if (typeof frame.seq !== "number") {
      if (frame.type === "resumed") this.#resumed(frame);
      else if (frame.type === "error") this.#emit("error", frame);
      return;
    }
    // Everything live before the "resumed" answer is replayed after it, in order.
    if (this.#awaitingResume) {
      this.#stats.ignoredBeforeResume++;
      return;
    }
    if (frame.seq <= this.#lastSeq) {
      this.#stats.duplicates++;
      return;
    }
    this.#lastSeq = frame.seq;
    this.#stats.applied++;
    this.#emit("event", frame);
  }

  /** @param {{recovered: boolean, epoch: string, lastSeq: number, oldestSeq: number}} answer */
  #resumed(answer) {
    const previousEpoch = this.#epoch;
    const fresh = previousEpoch === null && this.#lastSeq === 0;
    const epochChanged = previousEpoch !== null && answer.epoch !== previousEpoch;
    const replay = this.#options.replay;
    this.#epoch = answer.epoch;
    if (answer.recovered && !epochChanged && (replay || !fresh)) {
      this.#live(answer, true);
      return;
    }

    if (!fresh) {
      // Events this client has not seen are gone: the app reloads its state from its own source.
      this.#stats.resets++;
      this.#emit("reset", {
        reason: epochChanged ? "epoch" : "expired",
        previousEpoch,
        epoch: answer.epoch,
        lastSeq: this.#lastSeq,
        oldestSeq: answer.oldestSeq,
        serverLastSeq: answer.lastSeq,
      });
    }

    if (replay) {
      // Ask again from the oldest event still kept: the window is replayed, then live events follow.
      this.#lastSeq = answer.oldestSeq - 1;
      this.#resume(this.#lastSeq);
    } else {
      // Straight to live: whatever the server replays is older than this, and dropped.
      this.#lastSeq = answer.lastSeq;
      this.#live(answer, answer.recovered && !epochChanged);
    }
  }

  /** @param {{lastSeq: number}} answer @param {boolean} recovered */
  #live(answer, recovered) {
    this.#awaitingResume = false;
    this.#attempt = 0;
    this.#setState("live", { recovered, missed: Math.max(0, answer.lastSeq - this.#resumeSentFrom) });
  }

  /**
   * @param {number} code @param {string} reason @param {boolean} opened @param {unknown} failure
   * @param {number} generation
   */
  async #closed(code, reason, opened, failure, generation) {
    this.#release();
    if (this.#stopped) return;
    if (opened && this.#terminal.has(code)) {
      this.#stop({ reason: "closed", code, message: reason });
      return;
    }
    if (!opened) {
      let status = httpStatusOf(failure);
      // Only a failure whose reason is hidden is a question for the check: where the socket said what went wrong
      // (Node's `ws`: refused, reset, or the upgrade's status), the answer is known, and a GET without the socket's
      // own credentials (its headers) would answer 401 for a user who is signed in.
      if (!status && !failureMessage(failure) && this.#options.authCheck !== false) {
        const check = this.#options.authCheck ?? (() => probeAuthentication(this.#attemptUrl ?? this.#url));
        if ((await check()) === false) status = 401;
        if (generation !== this.#generation || this.#stopped) return;
      }
      if (status === 401 || status === 403) {
        this.#stop({ reason: "unauthorized", status });
        return;
      }
    }
    this.#scheduleReconnect({ code, reason });
  }

  /** @param {object} detail */
  #stop(detail) {
    this.#stopped = true;
    globalThis.removeEventListener?.("online", this.#onOnline);
    this.#setState("stopped", detail);
  }

  /** @param {object} detail */
  #scheduleReconnect(detail) {
    this.#attempt++;
    const delayMs = backoffDelay(this.#attempt, this.#options.backoff, this.#options.random);
    this.#setState("reconnecting", { ...detail, attempt: this.#attempt, delayMs });
    this.#retryTimer = setTimeout(() => this.#connect(), delayMs);
  }

  /** @param {import("./agentbridge-client.js").WebSocketLike} socket */
  #startHeartbeat(socket) {
    const { heartbeatIntervalMs: interval, heartbeatTimeoutMs: timeout } = this.#options;
    if (!(interval > 0)) return;
    this.#heartbeat = setInterval(() => {
      if (socket !== this.#socket) return;
      const now = Date.now();
      const waiting = this.#pingSentAt > 0 && this.#lastFrameAt < this.#pingSentAt;
      if (waiting && timeout > 0 && now - this.#pingSentAt >= timeout) {
        // Nothing came back, not even a pong: the connection is dead without having closed.
        const generation = this.#generation;
        this.#release(AbandonedCode, "heartbeat timeout");
        this.#closed(1006, "heartbeat timeout", true, undefined, generation);
      } else if (!waiting && now - this.#lastFrameAt >= interval && this.ping()) {
        this.#pingSentAt = now;
      }
    }, Math.max(50, Math.min(interval, timeout > 0 ? timeout : interval) / 4));
  }

  /** Forgets the current socket (closing it when asked) and every timer. @param {number} [code] @param {string} [reason] */
  #release(code, reason) {
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#connectTimer);
    clearInterval(this.#heartbeat);
    const socket = this.#socket;
    this.#socket = null;
    this.#awaitingResume = false;
    if (!socket || code === undefined) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    // Not null: Node's `ws` reports closing a socket that has not opened yet as an error, and an error with no
    // listener would be thrown.
    socket.onerror = () => {};
    try {
      // A dead connection never finishes a close handshake: Node's `ws` can drop it at once.
      if (code === AbandonedCode && typeof socket.terminate === "function") socket.terminate();
      else socket.close(code, reason);
    } catch {
      // Already closed.
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// AG-UI 1.0

/** @returns {import("./agentbridge-client.js").AgUiState} */
export function createAgUiState() {
  return { runs: new Map() };
}

/** @typedef {{agents: string[], messages: Set<string>, calls: {toolName: string, toolCallId: string}[]}} RunMapping */

const defaultAgUiState = createAgUiState();
const maxTrackedRuns = 100;

/** @param {unknown} value */
function asText(value) {
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}

/**
 * Maps one frame to the AG-UI 1.0 events it stands for (none, one or several). The mapping keeps a little
 * state per run (open text messages, tool calls waiting for their result, nested agents): pass one state per
 * stream, from createAgUiState(); without one, a state shared by the whole page is used.
 * @param {import("./agentbridge-client.js").AgentBridgeEvent} frame
 * @param {import("./agentbridge-client.js").AgUiState} [state]
 * @returns {import("./agentbridge-client.js").AgUiEvent[]}
 */
export function toAgUi(frame, state = defaultAgUiState) {
  const timestamp = Date.parse(frame.timestamp);
  /** @param {Record<string, unknown>} fields */
  const event = (fields) =>
    /** @type {import("./agentbridge-client.js").AgUiEvent} */ ({ ...fields, ...(Number.isFinite(timestamp) && { timestamp }), rawEvent: frame });
  const { runId, threadId } = frame;
  const data = /** @type {Record<string, any>} */ (frame.data ?? {});
  if (!runId || !standardTypes.has(frame.type)) {
    return [event({ type: "CUSTOM", name: frame.type, value: frame.data ?? null })];
  }

  const out = [];
  let run = /** @type {RunMapping | undefined} */ (state.runs.get(runId));
  if (!run) {
    run = { agents: [], messages: new Set(), calls: [] };
    state.runs.set(runId, run);
    if (state.runs.size > maxTrackedRuns) state.runs.delete(/** @type {string} */ (state.runs.keys().next().value));
  }
  const current = run;
  const start = () => {
    if (current.agents.length === 0) out.push(event({ type: "RUN_STARTED", threadId: threadId ?? "", runId }));
  };
  const id = `${runId}:${frame.seq}`;

  switch (frame.type) {
    case "agent_started":
      // A second agent inside a running run is a step of it.
      if (current.agents.length > 0) out.push(event({ type: "STEP_STARTED", stepName: data.agentName }));
      else start();
      current.agents.push(data.agentName);
      break;
    case "agent_thinking":
      start();
      if (current.agents.length === 0) current.agents.push("");
      out.push(
        event({ type: "REASONING_START", messageId: id }),
        event({ type: "REASONING_MESSAGE_START", messageId: id, role: "reasoning" }),
        event({ type: "REASONING_MESSAGE_CONTENT", messageId: id, delta: String(data.thought ?? "") }),
        event({ type: "REASONING_MESSAGE_END", messageId: id }),
        event({ type: "REASONING_END", messageId: id }),
      );
      break;
    case "tool_executing": {
      start();
      if (current.agents.length === 0) current.agents.push("");
      const toolCallId = data.toolCallId ?? id;
      current.calls.push({ toolName: data.toolName, toolCallId });
      out.push(event({ type: "TOOL_CALL_START", toolCallId, toolCallName: data.toolName }));
      if (data.arguments != null) out.push(event({ type: "TOOL_CALL_ARGS", toolCallId, delta: asText(data.arguments) }));
      out.push(event({ type: "TOOL_CALL_END", toolCallId }));
      break;
    }
    case "tool_completed": {
      start();
      if (current.agents.length === 0) current.agents.push("");
      // Without an id (older emitters), a result answers the oldest open call of its tool.
      const index = current.calls.findIndex((/** @type {{toolName: string, toolCallId: string}} */ call) =>
        data.toolCallId ? call.toolCallId === data.toolCallId : call.toolName === data.toolName);
      const toolCallId = data.toolCallId ?? (index >= 0 ? current.calls[index].toolCallId : id);
      if (index >= 0) current.calls.splice(index, 1);
      const content = data.result !== undefined ? asText(data.result) : data.error !== undefined ? asText({ error: data.error }) : "null";
      out.push(event({ type: "TOOL_CALL_RESULT", messageId: `${toolCallId}:result`, toolCallId, content, role: "tool" }));
      break;
    }
    case "agent_message": {
      start();
      if (current.agents.length === 0) current.agents.push("");
      const messageId = String(data.messageId);
      if (!current.messages.has(messageId)) {
        current.messages.add(messageId);
        out.push(event({ type: "TEXT_MESSAGE_START", messageId, role: "assistant" }));
      }
      if (data.delta) out.push(event({ type: "TEXT_MESSAGE_CONTENT", messageId, delta: String(data.delta) }));
      break;
    }
    case "agent_completed": {
      start();
      const at = current.agents.lastIndexOf(data.agentName);
      current.agents.splice(at >= 0 ? at : current.agents.length - 1, 1);
      if (current.agents.length > 0) {
        out.push(event({ type: "STEP_FINISHED", stepName: data.agentName }));
        break;
      }
      for (const messageId of current.messages) out.push(event({ type: "TEXT_MESSAGE_END", messageId }));
      state.runs.delete(runId);
      if (data.status === "failed") {
        out.push(event({ type: "RUN_ERROR", message: String(data.error ?? "The agent run failed.") }));
      } else {
        out.push(event({
          type: "RUN_FINISHED",
          threadId: threadId ?? "",
          runId,
          ...(data.status === "cancelled" ? { outcome: { type: "cancelled" } } : data.result != null && { result: data.result }),
        }));
      }
      break;
    }
  }
  return out;
}
