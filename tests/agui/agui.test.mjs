// The AgentChat sample's AG-UI endpoint, driven by the official AG-UI client (@ag-ui/client 1.0.0, which validates every
// event against @ag-ui/core's schemas and verifies their order), and the same runs on the users' WebSockets.
// `npm test` starts the sample (built first: dotnet build samples/AgentChat) on a free port and stops it; with
// AGENTCHAT_URL=http://127.0.0.1:PORT it uses a sample already running there instead.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { HttpAgent } from "@ag-ui/client";
import { EventSchemas } from "@ag-ui/core/schemas";
import WebSocket from "ws";
// The browser client's tests start the repository's apps the same way: one helper for both.
import { startApp } from "../../clients/js/test/helpers/server.mjs";

let base = process.env.AGENTCHAT_URL;
let sample;
const warnings = [];
const originalWarn = console.warn;

before(async () => {
  if (!base) {
    sample = await startApp("samples/AgentChat");
    base = sample.url;
  }
  // The client reports what it had to strip or could not interpret as warnings, not errors: collect them.
  console.warn = (...args) => {
    warnings.push(args.map(String).join(" "));
    originalWarn(...args);
  };
});

after(async () => {
  console.warn = originalWarn;
  await sample?.stop();
});

beforeEach(() => {
  warnings.length = 0;
});

/** Signs in through the sample's development-only sign-in and returns the cookie header. */
async function signIn(user) {
  const response = await fetch(`${base}/dev/login?user=${encodeURIComponent(user)}`);
  assert.equal(response.status, 200);
  return response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

/** Opens the user's event socket and collects its frames. */
async function openSocket(cookie) {
  const socket = new WebSocket(`${base.replace(/^http/, "ws")}/agent-events`, { headers: { Cookie: cookie } });
  const frames = [];
  const waiters = [];
  socket.on("message", (data) => {
    frames.push(JSON.parse(data.toString()));
    for (const waiter of [...waiters]) waiter();
  });
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  return {
    frames,
    /** Resolves once a frame matches, within 20 s. */
    waitFor(predicate) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no matching frame within 20 s")), 20_000);
        const check = () => {
          const found = frames.find(predicate);
          if (found) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(check), 1);
            resolve(found);
          }
        };
        waiters.push(check);
        check();
      });
    },
    close() {
      socket.close();
    },
  };
}

/** One run through HttpAgent, as a front end does it. */
async function run(cookie, message, forwardedProps = { steps: 3, delayMs: 5 }) {
  const agent = new HttpAgent({
    url: `${base}/ag-ui`,
    headers: { Cookie: cookie },
    threadId: `thread-${randomUUID()}`,
    initialMessages: [{ id: randomUUID(), role: "user", content: message }],
  });
  const events = [];
  const { result } = await agent.runAgent({ forwardedProps }, { onEvent: ({ event }) => void events.push(event) });
  return { agent, events, result, runId: events[0].runId };
}

const types = (events) => events.map((e) => e.type);

test("a run with tool calls completes with no validation or ordering error", async () => {
  const cookie = await signIn("alice");

  const { agent, events, result } = await run(cookie, "How long do refunds take, and what is (12.5 + 7) * 3?");

  assert.deepEqual(warnings.filter((w) => w.includes("[ag-ui]")), []);
  for (const event of events) assert.ok(EventSchemas.safeParse(event).success, `schema: ${JSON.stringify(event)}`);
  assert.equal(events[0].type, "RUN_STARTED");
  assert.equal(events[0].threadId, agent.threadId);
  assert.equal(events.at(-1).type, "RUN_FINISHED");
  assert.equal(types(events).filter((t) => t === "TOOL_CALL_START").length, 3);
  assert.equal(types(events).filter((t) => t === "TOOL_CALL_RESULT").length, 3);
  assert.ok(types(events).includes("REASONING_MESSAGE_CONTENT"));
  assert.ok(types(events).includes("TEXT_MESSAGE_CONTENT"));
  assert.match(result, /= 58\.5/);
  assert.match(result, /Refund policy/);

  // The client built its conversation from the events: the tool calls, their results and the answer.
  const calls = agent.messages.flatMap((m) => m.toolCalls ?? []);
  assert.deepEqual(calls.map((c) => c.function.name), ["calculator", "search_documents", "search_documents"]);
  assert.equal(JSON.parse(calls[0].function.arguments).expression, "(12.5 + 7) * 3");
  const toolMessages = agent.messages.filter((m) => m.role === "tool");
  assert.deepEqual(toolMessages.map((m) => m.toolCallId), calls.map((c) => c.id));
  assert.equal(agent.messages.findLast((m) => m.role === "assistant" && m.content)?.content, result);
});

test("the run also appears on the user's WebSocket, numbered in the user's stream", async () => {
  const cookie = await signIn("carol");
  const socket = await openSocket(cookie);
  try {
    const { events, runId } = await run(cookie, "How fast is express shipping?", { steps: 2, delayMs: 5 });
    await socket.waitFor((f) => f.type === "agent_completed" && f.runId === runId);

    const frames = socket.frames.filter((f) => f.runId === runId);
    assert.deepEqual(
      frames.map((f) => f.type).filter((t) => t !== "agent_message"),
      ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"],
    );
    assert.ok(frames.every((f, i) => i === 0 || f.seq === frames[i - 1].seq + 1), "consecutive seq");
    const socketCalls = frames.filter((f) => f.type === "tool_executing").map((f) => f.data.toolCallId);
    const aguiCalls = events.filter((e) => e.type === "TOOL_CALL_START").map((e) => e.toolCallId);
    assert.deepEqual(socketCalls, aguiCalls);
    const socketText = frames.filter((f) => f.type === "agent_message").map((f) => f.data.delta).join("");
    const aguiText = events.filter((e) => e.type === "TEXT_MESSAGE_CONTENT").map((e) => e.delta).join("");
    assert.equal(socketText, aguiText);
    assert.equal(frames.at(-1).data.status, "succeeded");
  } finally {
    socket.close();
  }
});

test("two users' concurrent runs do not cross", async () => {
  const [aliceCookie, bobCookie] = await Promise.all([signIn("alice"), signIn("bob")]);
  const [aliceSocket, bobSocket] = await Promise.all([openSocket(aliceCookie), openSocket(bobCookie)]);
  try {
    const [alice, bob] = await Promise.all([
      run(aliceCookie, "How long do refunds take?", { steps: 3, delayMs: 20 }),
      run(bobCookie, "When does my parcel leave the warehouse?", { steps: 3, delayMs: 20 }),
    ]);

    assert.deepEqual(warnings.filter((w) => w.includes("[ag-ui]")), []);
    assert.match(alice.result, /Refund policy/);
    assert.doesNotMatch(alice.result, /Shipping times/);
    assert.match(bob.result, /Shipping times/);
    assert.doesNotMatch(bob.result, /Refund policy/);

    await aliceSocket.waitFor((f) => f.type === "agent_completed" && f.runId === alice.runId);
    await bobSocket.waitFor((f) => f.type === "agent_completed" && f.runId === bob.runId);
    assert.ok(!aliceSocket.frames.some((f) => f.runId === bob.runId), "alice's socket saw none of bob's run");
    assert.ok(!bobSocket.frames.some((f) => f.runId === alice.runId), "bob's socket saw none of alice's run");
    assert.ok(!aliceSocket.frames.some((f) => JSON.stringify(f).includes("warehouse")));
    assert.ok(!bobSocket.frames.some((f) => JSON.stringify(f).includes("refunds take")));
  } finally {
    aliceSocket.close();
    bobSocket.close();
  }
});

test("a client that is not signed in is refused with 401", async () => {
  const agent = new HttpAgent({ url: `${base}/ag-ui`, initialMessages: [{ id: randomUUID(), role: "user", content: "hi" }] });
  const originalError = console.error;
  console.error = () => {};
  try {
    await assert.rejects(agent.runAgent(), (error) => error.status === 401);
  } finally {
    console.error = originalError;
  }
});
