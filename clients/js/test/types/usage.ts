// Compiled by `npm run typecheck` (tsc --noEmit), never run: the declarations must allow what a page writes,
// narrow the six standard events, and produce AG-UI events that @ag-ui/core's own types accept.
import type { AGUIEventOf, EventType } from "@ag-ui/core";
import {
  AgentBridgeClient,
  CloseCodes,
  EventTypes,
  backoffDelay,
  createAgUiState,
  isStandardEvent,
  toAgUi,
  type AgentBridgeEvent,
  type AgUiEvent,
  type ResetInfo,
  type StatusInfo,
} from "../../agentbridge-client.js";

const client = new AgentBridgeClient({
  url: "/agent-events",
  accessTokenFactory: async () => "token",
  backoff: { initialDelayMs: 250, maxDelayMs: 10_000 },
  resumeFrom: { lastSeq: 41, epoch: "e1" },
});

const stopListening = client.on("event", (frame: AgentBridgeEvent) => {
  if (!isStandardEvent(frame)) {
    const custom: unknown = frame.data;
    return void custom;
  }
  switch (frame.type) {
    case "tool_executing": {
      const id: string | undefined = frame.data.toolCallId;
      const name: string = frame.data.toolName;
      return void [id, name];
    }
    case "agent_message": {
      const text: string = frame.data.delta + frame.data.messageId;
      return void text;
    }
    case "agent_completed": {
      const status: "succeeded" | "failed" | "cancelled" = frame.data.status;
      return void status;
    }
    default:
      return void frame.data.agentName;
  }
});
client.on("reset", (info: ResetInfo) => void info.oldestSeq);
client.on("status", (info: StatusInfo) => void (info.state === "reconnecting" && info.delayMs));
client.start();
stopListening();
client.stop();

const delay: number = backoffDelay(3, { jitter: 0.2 }, () => 0.5);
const policy: 1008 = CloseCodes.PolicyViolation;
const started: "agent_started" = EventTypes.AgentStarted;

// Every event type toAgUi produces has the fields @ag-ui/core 1.0.0 declares for it (checked per type: the
// core's `type` is a string enum, which a string literal cannot be assigned to).
type Ours<T extends AgUiEvent["type"]> = Omit<Extract<AgUiEvent, { type: T }>, "type">;
type Core<T extends AgUiEvent["type"]> = Omit<AGUIEventOf<(typeof EventType)[T]>, "type">;
type Matches<T extends AgUiEvent["type"]> = [Extract<AgUiEvent, { type: T }>] extends [never] ? false : Ours<T> extends Core<T> ? true : false;
const matches: { [T in AgUiEvent["type"]]: Matches<T> } = {
  RUN_STARTED: true,
  RUN_FINISHED: true,
  RUN_ERROR: true,
  STEP_STARTED: true,
  STEP_FINISHED: true,
  REASONING_START: true,
  REASONING_MESSAGE_START: true,
  REASONING_MESSAGE_CONTENT: true,
  REASONING_MESSAGE_END: true,
  REASONING_END: true,
  TEXT_MESSAGE_START: true,
  TEXT_MESSAGE_CONTENT: true,
  TEXT_MESSAGE_END: true,
  TOOL_CALL_START: true,
  TOOL_CALL_ARGS: true,
  TOOL_CALL_END: true,
  TOOL_CALL_RESULT: true,
  CUSTOM: true,
};

const mapped: AgUiEvent[] = toAgUi({ seq: 1, type: "agent_started", runId: "r", threadId: "t", timestamp: "", data: { agentName: "a" } }, createAgUiState());
void [delay, policy, started, matches, mapped];
