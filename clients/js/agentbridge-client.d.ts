// Types of the AgentBridge browser client (agentbridge-client.js). The wire protocol is docs/protocol.md.

/** Fields every event frame carries. */
export interface EventFrame<TType extends string = string, TData = unknown> {
  /** The user's sequence number: the key of ordering, de-duplication and resume. */
  seq: number;
  type: TType;
  /** From the context the bridge was made for; absent on events sent through the low-level manager. */
  threadId?: string;
  runId?: string;
  /** ISO 8601, UTC. */
  timestamp: string;
  data: TData;
}

export interface AgentStartedData { agentName: string }
export interface AgentThinkingData { agentName: string; thought: string }
export interface ToolExecutingData {
  agentName: string;
  toolName: string;
  /** Pairs the call with its `tool_completed`; absent only from emitters that predate it. */
  toolCallId?: string;
  arguments: unknown;
}
export interface ToolCompletedData {
  agentName: string;
  toolName: string;
  toolCallId?: string;
  result: unknown;
  /** Set by emitters that report a failed tool call. */
  error?: string;
}
export interface AgentMessageData {
  agentName: string;
  /** The answer the text belongs to: append the deltas of one id in `seq` order. */
  messageId: string;
  delta: string;
}
export type AgentRunStatus = "succeeded" | "failed" | "cancelled";
export interface AgentCompletedData {
  agentName: string;
  status: AgentRunStatus;
  result?: unknown;
  /** When failed. */
  error?: string;
}

export type AgentStartedEvent = EventFrame<"agent_started", AgentStartedData>;
export type AgentThinkingEvent = EventFrame<"agent_thinking", AgentThinkingData>;
export type ToolExecutingEvent = EventFrame<"tool_executing", ToolExecutingData>;
export type ToolCompletedEvent = EventFrame<"tool_completed", ToolCompletedData>;
export type AgentMessageEvent = EventFrame<"agent_message", AgentMessageData>;
export type AgentCompletedEvent = EventFrame<"agent_completed", AgentCompletedData>;

/** The six standard events: narrow with `isStandardEvent(frame)`, then `switch (frame.type)`. */
export type StandardEvent =
  | AgentStartedEvent
  | AgentThinkingEvent
  | ToolExecutingEvent
  | ToolCompletedEvent
  | AgentMessageEvent
  | AgentCompletedEvent;

/** Any event: a standard one, or an application's own type. */
export type AgentBridgeEvent = StandardEvent | EventFrame<string, unknown>;

export declare const EventTypes: {
  readonly AgentStarted: "agent_started";
  readonly AgentThinking: "agent_thinking";
  readonly ToolExecuting: "tool_executing";
  readonly ToolCompleted: "tool_completed";
  readonly AgentMessage: "agent_message";
  readonly AgentCompleted: "agent_completed";
};

export declare function isStandardEvent(frame: AgentBridgeEvent): frame is StandardEvent;

export declare const CloseCodes: {
  readonly NormalClosure: 1000;
  readonly GoingAway: 1001;
  readonly UnsupportedData: 1003;
  readonly InvalidPayloadData: 1007;
  readonly PolicyViolation: 1008;
  readonly MessageTooBig: 1009;
  readonly InternalError: 1011;
  readonly QueueOverflow: 4001;
  readonly TooManyConnections: 4002;
};

/** Close codes after which the client does not reconnect: 1003, 1007, 1008, 1009, 4002. */
export declare const TerminalCloseCodes: readonly number[];

export interface BackoffOptions {
  /** The ceiling of the first delay. Default 500 ms. */
  initialDelayMs?: number;
  /** The largest delay. Default 30 s. */
  maxDelayMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** The share of the ceiling that may be taken off at random, 0 to 1. Default 0.5. */
  jitter?: number;
}

/** The delay before reconnect attempt `attempt` (from 1): in [ceiling × (1 − jitter), ceiling]. */
export declare function backoffDelay(attempt: number, options?: BackoffOptions, random?: () => number): number;

/** The part of the WebSocket API the client uses (the browser's, or Node's `ws`). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate?(): void;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export interface AgentBridgeClientOptions {
  /** The event socket: absolute (ws:, wss:, http:, https:) or, in a page, relative (e.g. "/agent-events"). */
  url: string | URL;
  /** The WebSocket class; default the global one (Node 20 has none: pass the `ws` package's). */
  WebSocket?: WebSocketConstructor;
  /**
   * Bearer-token hook: called before every connect; a token is sent as the `accessTokenParameter` query
   * parameter, since a browser cannot set headers on a WebSocket. The server reads it there (for JwtBearer:
   * in `JwtBearerEvents.OnMessageReceived`, for the socket's path only). Cookie authentication needs nothing.
   */
  accessTokenFactory?: () => string | null | undefined | Promise<string | null | undefined>;
  /** Default "access_token". */
  accessTokenParameter?: string;
  /** WebSocket subprotocols to offer. */
  protocols?: string | string[];
  /** A position saved earlier with `position()`: continue from there instead of from the start of the window. */
  resumeFrom?: { lastSeq: number; epoch?: string };
  /**
   * Replay the user's window on the first connection and after a reset (default true). False: go straight to
   * live events, for apps that load their state from their own API.
   */
  replay?: boolean;
  backoff?: BackoffOptions;
  /** Randomness for the jitter (tests pass a fixed one). */
  random?: () => number;
  /** Give a connection attempt up, and retry with backoff, when its socket has not opened within this long (default 15 s; 0: no limit). */
  connectTimeoutMs?: number;
  /** Send a ping after this long without a frame (default 20 s; 0 turns the heartbeat off). */
  heartbeatIntervalMs?: number;
  /** Give the socket up when nothing answers a ping within this long (default 10 s). */
  heartbeatTimeoutMs?: number;
  /** Close codes that stop the client (default `TerminalCloseCodes`). */
  terminalCloseCodes?: Iterable<number>;
  /**
   * Asked after a socket failed to open for a reason the browser hides (it never shows the upgrade's HTTP
   * status): resolve false when the user is signed out, and the client stops instead of retrying. Default: a
   * GET of the socket's URL (with the access token and cookies the socket had), where 401 or 403 means signed
   * out. Not asked where the socket says why it failed (Node's `ws`). False turns the check off.
   */
  authCheck?: false | (() => boolean | Promise<boolean>);
}

export type ConnectionState = "idle" | "connecting" | "resuming" | "live" | "reconnecting" | "stopped";

export interface StatusInfo {
  state: ConnectionState;
  /** Reconnect attempt (connecting, reconnecting). */
  attempt?: number;
  /** How long until the next attempt (reconnecting). */
  delayMs?: number;
  /** The close code that ended the last socket (reconnecting, stopped). */
  code?: number;
  /** Why (stopped: "stopped" by the app, "closed" by a terminal close code, "unauthorized"). */
  reason?: string;
  /** HTTP status of a refused upgrade (stopped, unauthorized). */
  status?: number;
  /** live: whether every missed event could be replayed. */
  recovered?: boolean;
  /** live: how many events the server had beyond the position the client resumed from. */
  missed?: number;
  /** resuming: the position sent. */
  lastSeq?: number;
}

export interface ResetInfo {
  /** "epoch": the server's stream for this user restarted; "expired": missed events left the replay window. */
  reason: "epoch" | "expired";
  previousEpoch: string | null;
  epoch: string;
  /** The last `seq` the client had applied. */
  lastSeq: number;
  /** The oldest `seq` the server still keeps (the replay after the reset starts there). */
  oldestSeq: number;
  serverLastSeq: number;
}

/** An error frame from the server (`{"type":"error",…}`), or an error of the client's own. */
export interface ServerErrorFrame { type: "error"; code: string; message: string }

export interface ClientStats {
  applied: number;
  duplicates: number;
  ignoredBeforeResume: number;
  resets: number;
  connects: number;
}

export declare class AgentBridgeClient {
  constructor(options: AgentBridgeClientOptions);
  readonly state: ConnectionState;
  readonly lastSeq: number;
  readonly epoch: string | null;
  readonly stats: ClientStats;
  position(): { lastSeq: number; epoch?: string };
  /** Every event, once, in `seq` order. */
  on(name: "event", listener: (frame: AgentBridgeEvent) => void): () => void;
  /** The stream was reset: reload the app's state; the replay (unless `replay: false`) follows. */
  on(name: "reset", listener: (info: ResetInfo) => void): () => void;
  on(name: "status", listener: (info: StatusInfo) => void): () => void;
  on(name: "error", listener: (error: ServerErrorFrame | Error | unknown) => void): () => void;
  start(): this;
  stop(): void;
  reconnect(): void;
  ping(): boolean;
}

// AG-UI 1.0 (the fields of @ag-ui/core 1.0.0's event schemas that this mapping produces).

interface AgUiBase {
  /** Milliseconds since the epoch, from the frame's timestamp. */
  timestamp?: number;
  /** The AgentBridge frame the event came from. */
  rawEvent?: AgentBridgeEvent;
}
export type AgUiEvent = AgUiBase & (
  | { type: "RUN_STARTED"; threadId: string; runId: string }
  | { type: "RUN_FINISHED"; threadId: string; runId: string; result?: unknown; outcome?: { type: "cancelled" } }
  | { type: "RUN_ERROR"; message: string; code?: string }
  | { type: "STEP_STARTED"; stepName: string }
  | { type: "STEP_FINISHED"; stepName: string }
  | { type: "REASONING_START"; messageId: string }
  | { type: "REASONING_END"; messageId: string }
  | { type: "REASONING_MESSAGE_END"; messageId: string }
  | { type: "REASONING_MESSAGE_START"; messageId: string; role: "reasoning" }
  | { type: "REASONING_MESSAGE_CONTENT"; messageId: string; delta: string }
  | { type: "TEXT_MESSAGE_START"; messageId: string; role: "assistant" }
  | { type: "TEXT_MESSAGE_CONTENT"; messageId: string; delta: string }
  | { type: "TEXT_MESSAGE_END"; messageId: string }
  | { type: "TOOL_CALL_START"; toolCallId: string; toolCallName: string }
  | { type: "TOOL_CALL_ARGS"; toolCallId: string; delta: string }
  | { type: "TOOL_CALL_END"; toolCallId: string }
  | { type: "TOOL_CALL_RESULT"; messageId: string; toolCallId: string; content: string; role: "tool" }
  | { type: "CUSTOM"; name: string; value: unknown }
);

/** What the mapping remembers per run. Opaque: make one per stream with createAgUiState(). */
export interface AgUiState {
  runs: Map<string, unknown>;
}

export declare function createAgUiState(): AgUiState;

/**
 * Maps a frame to AG-UI 1.0 events: agent_started → RUN_STARTED; agent_thinking → REASONING_*; agent_message →
 * TEXT_MESSAGE_START (first delta of a message) and TEXT_MESSAGE_CONTENT; tool_executing → TOOL_CALL_START/ARGS/END;
 * tool_completed → TOOL_CALL_RESULT; agent_completed → TEXT_MESSAGE_END of open messages, then RUN_FINISHED
 * (succeeded; cancelled with outcome "cancelled") or RUN_ERROR (failed); other types → CUSTOM.
 */
export declare function toAgUi(frame: AgentBridgeEvent, state?: AgUiState): AgUiEvent[];
