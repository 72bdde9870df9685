// toAgUi on real runs: frames from the runtime (the test host's scripted runs and the sample's demo agent),
// mapped to AG-UI and checked with AG-UI's own code: every event against @ag-ui/core 1.0.0's schemas, every run
// against the ordering rules @ag-ui/client 1.0.0 enforces (verifyEvents).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { verifyEvents } from "@ag-ui/client";
import { EventSchemas } from "@ag-ui/core/schemas";
import { from, lastValueFrom, toArray } from "rxjs";
import { AgentBridgeClient, createAgUiState, toAgUi } from "../agentbridge-client.js";
import { post, signIn, webSocketWith } from "./helpers/auth.mjs";
import { startApp } from "./helpers/server.mjs";
import { record, waitFor } from "./helpers/wait.mjs";

/** Checks each event against the schema of its type, and the sequence against AG-UI's ordering rules. */
async function assertValidAgUi(events) {
  for (const event of events) {
    const parsed = EventSchemas.safeParse(event);
    assert.ok(parsed.success, `${event.type} does not match @ag-ui/core's schema: ${JSON.stringify(parsed.error?.issues)}`);
  }
  const verified = await lastValueFrom(from(events).pipe(verifyEvents(false), toArray()));
  assert.equal(verified.length, events.length);
}

const types = (events) => events.map((e) => e.type);

/** A signed-in user with one client that records every frame. */
async function listen(baseUrl, user, loginPath, socketPath) {
  const { cookie } = await signIn(baseUrl, user, loginPath);
  const client = new AgentBridgeClient({ url: `${baseUrl}${socketPath}`, WebSocket: webSocketWith({ cookie }), heartbeatIntervalMs: 0 });
  const log = record(client);
  client.start();
  await waitFor(() => client.state === "live", { message: "a live client" });
  return { cookie, client, log };
}

describe("toAgUi on the test host's scripted runs", () => {
  let host;
  let session;
  before(async () => {
    host = await startApp("tests/AgentBridge.ClientTestHost");
    session = await listen(host.url, `agui-${process.pid}`, "/login", "/events");
  });
  after(async () => {
    session?.client.stop();
    await host?.stop();
  });

  /** Runs a scenario; returns its frames and their AG-UI events (validated). */
  async function scenario(name, completions = 1) {
    const { runId, threadId } = await post(host.url, "/run", session.cookie, { scenario: name, delayMs: 5 });
    const frames = () => session.log.events.filter((e) => e.runId === runId);
    await waitFor(() => frames().filter((e) => e.type === "agent_completed").length === completions, { message: `the ${name} run to end` });
    const state = createAgUiState();
    const events = frames().flatMap((frame) => toAgUi(frame, state));
    await assertValidAgUi(events);
    assert.equal(state.runs.size, 0, "the run's state was not released");
    return { frames: frames(), events, runId, threadId };
  }

  it("maps reasoning, overlapping calls of one tool (paired by id) and a streamed answer", async () => {
    const { events, runId, threadId } = await scenario("answer");
    assert.deepEqual(types(events), [
      "RUN_STARTED",
      "REASONING_START", "REASONING_MESSAGE_START", "REASONING_MESSAGE_CONTENT", "REASONING_MESSAGE_END", "REASONING_END",
      "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END",
      "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END",
      "TOOL_CALL_RESULT", "TOOL_CALL_RESULT",
      "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END",
      "RUN_FINISHED",
    ]);
    assert.deepEqual(events[0], { ...events[0], threadId, runId });
    const [lisbon, oslo] = events.filter((e) => e.type === "TOOL_CALL_START");
    const argsOf = (call) => JSON.parse(events.find((e) => e.type === "TOOL_CALL_ARGS" && e.toolCallId === call.toolCallId).delta);
    assert.equal(argsOf(lisbon).city, "Lisbon");
    assert.equal(argsOf(oslo).city, "Oslo");
    const results = events.filter((e) => e.type === "TOOL_CALL_RESULT");
    assert.deepEqual(results.map((r) => r.toolCallId), [oslo.toolCallId, lisbon.toolCallId], "results answer their own call, in the order they came");
    assert.equal(JSON.parse(results[0].content).sky, "rain");
    const text = events.filter((e) => e.type === "TEXT_MESSAGE_CONTENT").map((e) => e.delta).join("");
    assert.equal(text, "Sunny in Lisbon, rainy in Oslo.");
    assert.deepEqual(events.at(-1).result, { answer: "Sunny in Lisbon, rainy in Oslo." });
    assert.ok(events.every((e) => Number.isInteger(e.timestamp) && e.rawEvent?.runId === runId));
  });

  it("ends a failed run with RUN_ERROR, after closing its open message", async () => {
    const { events } = await scenario("failed");
    assert.deepEqual(types(events).slice(-3), ["TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_ERROR"]);
    assert.equal(events.at(-1).message, "The search service is down.");
  });

  it("ends a cancelled run with RUN_FINISHED and the outcome 'cancelled'", async () => {
    const { events } = await scenario("cancelled");
    assert.deepEqual(events.at(-1).outcome, { type: "cancelled" });
    assert.equal(events.at(-1).type, "RUN_FINISHED");
  });

  it("pairs results without a call id with the oldest open call of their tool", async () => {
    const { frames, events } = await scenario("legacy");
    assert.ok(frames.every((f) => f.data.toolCallId === undefined), "the legacy emitters sent call ids after all");
    const starts = events.filter((e) => e.type === "TOOL_CALL_START").map((e) => e.toolCallId);
    const results = events.filter((e) => e.type === "TOOL_CALL_RESULT");
    assert.deepEqual(results.map((r) => r.toolCallId), starts);
    assert.deepEqual(JSON.parse(results[0].content), { n: 1 });
    assert.equal(results[1].content, "plain text result");
  });

  it("maps an agent working inside another agent's run to a step of that run", async () => {
    const { events } = await scenario("nested", 2);
    assert.deepEqual(types(events), [
      "RUN_STARTED", "STEP_STARTED",
      "REASONING_START", "REASONING_MESSAGE_START", "REASONING_MESSAGE_CONTENT", "REASONING_MESSAGE_END", "REASONING_END",
      "STEP_FINISHED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED",
    ]);
    assert.equal(events[1].stepName, "researcher");
    assert.equal(events.at(-1).result, "Done.");
  });

  it("maps an application's own event type to CUSTOM", async () => {
    const { events } = await scenario("custom");
    assert.deepEqual(types(events), ["RUN_STARTED", "CUSTOM", "RUN_FINISHED"]);
    assert.equal(events[1].name, "progress");
    assert.deepEqual(events[1].value, { percent: 50 });
  });

  it("opens the run for a client that joined after it started", async () => {
    const { frames } = await scenario("answer");
    const state = createAgUiState();
    const events = frames.slice(3).flatMap((frame) => toAgUi(frame, state));
    assert.equal(events[0].type, "RUN_STARTED");
    await assertValidAgUi(events);
  });

  it("maps an event without a run (sent through the low-level manager) to CUSTOM only", () => {
    const events = toAgUi({ seq: 9, type: "agent_thinking", timestamp: "2026-01-01T00:00:00Z", data: { agentName: "a", thought: "x" } }, createAgUiState());
    assert.deepEqual(types(events), ["CUSTOM"]);
    assert.equal(events[0].timestamp, Date.UTC(2026, 0, 1));
  });
});

describe("toAgUi on the sample's demo agent", () => {
  let sample;
  before(async () => {
    sample = await startApp("samples/AgentChat");
  });
  after(() => sample?.stop());

  it("gives a run that AG-UI's client accepts, each result answering its call", async () => {
    const session = await listen(sample.url, `agui-sample-${process.pid}`, "/dev/login", "/agent-events");
    try {
      const { runId } = await post(sample.url, "/api/runs", session.cookie, { message: "weather?", steps: 2, delayMs: 5 });
      const frames = () => session.log.events.filter((e) => e.runId === runId);
      await waitFor(() => frames().some((e) => e.type === "agent_completed"), { message: "the sample's run to end" });
      const state = createAgUiState();
      const mapped = frames().flatMap((frame) => toAgUi(frame, state));
      await assertValidAgUi(mapped);
      const calls = mapped.filter((e) => e.type === "TOOL_CALL_START").map((e) => e.toolCallId);
      const results = mapped.filter((e) => e.type === "TOOL_CALL_RESULT").map((e) => e.toolCallId);
      assert.ok(calls.length >= 1);
      assert.deepEqual([...results].sort(), [...calls].sort());
      assert.equal(mapped.at(-1).type, "RUN_FINISHED");
    } finally {
      session.client.stop();
    }
  });
});
