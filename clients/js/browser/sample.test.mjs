// The sample's page in Chromium (Debian's, never a downloaded build), driven by playwright-core, against the
// sample started as the README says (dotnet run --project samples/AgentChat, on a free port). Any uncaught
// exception or console error on a page fails the test that opened it.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { chromium } from "playwright-core";
import { startApp } from "../test/helpers/server.mjs";
import { startProxy } from "../test/helpers/tcp-proxy.mjs";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const launchArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const testTimeout = { timeout: 90_000 };

let browser;
let sample;
let users = 0;
const newUser = (name) => `${name}-${process.pid}-${++users}`;

before(async () => {
  assert.ok(existsSync(executablePath), `no Chromium at ${executablePath} (apt-get install -y chromium)`);
  sample = await startApp("samples/AgentChat");
  browser = await chromium.launch({ executablePath, headless: true, args: launchArgs });
});

after(async () => {
  await browser?.close();
  await sample?.stop();
});

/**
 * Opens a page that records its errors: uncaught exceptions and console errors. `expected` lists console
 * messages a test causes on purpose (the browser's own report of a connection it cut).
 */
async function openPage(context, baseUrl = sample.url) {
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(`uncaught: ${error.message}`));
  page.on("console", (message) => message.type() === "error" && page.errors.push(`console: ${message.text()}`));
  await page.goto(baseUrl);
  return page;
}

/** Runs `body` with a fresh browser context (its own cookies and storage), closed afterwards. */
async function withContext(body) {
  const context = await browser.newContext();
  try {
    return await body(context);
  } finally {
    await context.close();
  }
}

/** Runs `body` with a page signed in as a new user, that reaches the sample through a TCP proxy: the network. */
async function throughNetwork(name, body) {
  const proxy = await startProxy(sample.url);
  try {
    return await withContext(async (context) => {
      const page = await openPage(context, proxy.url);
      await signIn(page, newUser(name));
      return await body({ page, proxy, context });
    });
  } finally {
    await proxy.close();
  }
}

function assertNoPageErrors(page, expected = []) {
  const unexpected = page.errors.filter((error) => !expected.some((pattern) => pattern.test(error)));
  assert.deepEqual(unexpected, [], "the page reported errors");
  for (const error of page.errors) console.log(`# expected browser report: ${error}`);
}

async function signIn(page, user) {
  await page.fill("#user", user);
  await page.click("#login");
  await page.waitForSelector('#status[data-state="live"]');
}

/** Starts a run from the page; returns its ids. */
async function startRun(page, { message = "What is the weather in Lisbon?", steps = 3 } = {}) {
  await page.fill("#message", message);
  await page.fill("#steps", String(steps));
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/api/runs")), page.click("#run")]);
  assert.equal(response.status(), 202);
  return response.json();
}

const turn = (runId) => `.turn[data-run-id="${runId}"]`;

async function waitForRunEnd(page, runId, status = "succeeded") {
  await page.waitForSelector(`${turn(runId)} .run-status[data-status="${status}"]`, { timeout: 60_000 });
}

/** The raw events the page received, as it lists them (one element per event, in the order received). */
function receivedEvents(page) {
  return page.$$eval("#events li", (items) =>
    items.map((li) => {
      const text = li.textContent;
      return { seq: Number(li.dataset.seq), type: li.dataset.type, data: JSON.parse(text.slice(text.indexOf("{"))), text };
    }));
}

/** Every event of the run once, in order, with no gap: seq +1 each, from agent_started to agent_completed. */
function assertWholeRun(events, runId) {
  const ofRun = events.filter((e) => e.text.includes(runId));
  assert.ok(ofRun.length >= 3, `only ${ofRun.length} events of the run`);
  ofRun.forEach((event, index) => assert.equal(event.seq, ofRun[0].seq + index, `event ${index} of the run has seq ${event.seq}: a gap or a repeat`));
  assert.equal(new Set(events.map((e) => e.seq)).size, events.length, "an event was shown twice");
  assert.equal(ofRun[0].type, "agent_started");
  assert.equal(ofRun.at(-1).type, "agent_completed");
  return ofRun;
}

/** What the page draws for a run: the question, the reasoning, the tool cards, the answer, the status. */
function conversation(page, runId) {
  return page.$eval(turn(runId), (root) => ({
    question: root.querySelector(".user-message").textContent,
    thoughts: root.querySelectorAll(".reasoning li").length,
    tools: [...root.querySelectorAll(".tool")].map((card) => ({
      id: card.dataset.toolCallId,
      name: card.querySelector(".tool-name").textContent,
      state: card.dataset.state,
      args: card.querySelector(".tool-args").textContent,
      result: card.querySelector(".tool-result")?.textContent,
    })),
    answer: [...root.querySelectorAll(".answer")].map((a) => a.textContent).join(""),
    status: root.querySelector(".run-status").dataset.status,
  }));
}

/** How the page shows a value: a string as it is, anything else as indented JSON. */
const shown = (value) => (typeof value === "string" ? value : JSON.stringify(value ?? null, null, 2));

/** The conversation matches the events: one card per call, completed with its result, the answer as streamed. */
function assertDrawnFrom(drawn, events) {
  const calls = events.filter((e) => e.type === "tool_executing");
  assert.equal(drawn.tools.length, calls.length);
  for (const call of calls) {
    const id = call.data.toolCallId ?? `${call.text.split(" ")[2]}:${call.seq}`;
    const card = drawn.tools.find((t) => t.id === id);
    assert.ok(card, `no card for ${call.data.toolName} ${id}`);
    assert.equal(card.name, call.data.toolName);
    assert.equal(card.state, "completed");
    assert.equal(card.args, shown(call.data.arguments));
    const result = events.find((e) => e.type === "tool_completed" && e.data.toolCallId === call.data.toolCallId);
    assert.equal(card.result, shown(result.data.result));
  }
  assert.equal(drawn.thoughts, events.filter((e) => e.type === "agent_thinking").length);
  const completed = events.at(-1).data;
  const deltas = events.filter((e) => e.type === "agent_message").map((e) => e.data.delta).join("");
  const answer = deltas || (typeof completed.result?.answer === "string" ? completed.result.answer : shown(completed.result));
  assert.ok(answer.length > 0 && answer !== "null", "the run gave no answer");
  assert.equal(drawn.answer, answer);
  assert.equal(drawn.status, completed.status);
}

describe("the sample page in Chromium", () => {
  it("signs in, runs, and shows every event once and in order as a conversation", testTimeout, () => withContext(async (context) => {
    const page = await openPage(context);
    await signIn(page, newUser("alice"));
    const { runId } = await startRun(page, { message: "Weather in Lisbon and Oslo?", steps: 3 });
    await waitForRunEnd(page, runId);
    const events = assertWholeRun(await receivedEvents(page), runId);
    const drawn = await conversation(page, runId);
    assert.equal(drawn.question, "Weather in Lisbon and Oslo?");
    assertDrawnFrom(drawn, events);
    assert.equal(await page.textContent("#status"), "live");
    assertNoPageErrors(page);
  }));

  it("resumes after the network is cut mid-run, with no duplicate and no gap", testTimeout, () => throughNetwork("cut", async ({ page, proxy }) => {
    const { runId } = await startRun(page, { steps: 6 });
    await page.waitForFunction(() => document.querySelectorAll("#events li").length >= 4);
    proxy.cut(); // every connection reset at once, and
    proxy.freeze(); // new ones hang, for a while
    await page.waitForSelector('#status[data-state="reconnecting"], #status[data-state="connecting"]');
    const during = await page.textContent("#status");
    assert.match(during, /reconnecting/);
    await page.waitForTimeout(1500);
    proxy.thaw();
    await page.waitForFunction(() => /^resumed/.test(document.querySelector("#status").textContent));
    await waitForRunEnd(page, runId);
    const events = assertWholeRun(await receivedEvents(page), runId);
    assertDrawnFrom(await conversation(page, runId), events);
    assertNoPageErrors(page);
  }));

  it("resumes when the server closes the socket mid-run, with no duplicate and no gap", testTimeout, () => withContext(async (context) => {
    // Every socket of the page goes through this route to the real server; closing the route's page side
    // is, for the page, the server closing its socket (1011: an unexpected server error).
    const routes = [];
    await context.routeWebSocket(/\/agent-events$/, (route) => {
      route.connectToServer();
      routes.push(route);
    });
    const page = await openPage(context);
    await signIn(page, newUser("closed"));
    const { runId } = await startRun(page, { steps: 4 });
    await page.waitForFunction(() => document.querySelectorAll("#events li").length >= 4);
    await routes.at(-1).close({ code: 1011, reason: "server error" });
    await page.waitForFunction(() => /^resumed/.test(document.querySelector("#status").textContent));
    await waitForRunEnd(page, runId);
    assert.ok(routes.length >= 2, "the page did not reconnect");
    const events = assertWholeRun(await receivedEvents(page), runId);
    assertDrawnFrom(await conversation(page, runId), events);
    assertNoPageErrors(page);
  }));

  it("shows two users in two browser contexts only their own runs", testTimeout, async () => {
    const alice = await browser.newContext();
    const bob = await browser.newContext();
    try {
      const pages = [await openPage(alice), await openPage(bob)];
      await signIn(pages[0], newUser("alice"));
      await signIn(pages[1], newUser("bob"));
      const [runA, runB] = await Promise.all([
        startRun(pages[0], { message: "Alice's question", steps: 3 }),
        startRun(pages[1], { message: "Bob's question", steps: 3 }),
      ]);
      await Promise.all([waitForRunEnd(pages[0], runA.runId), waitForRunEnd(pages[1], runB.runId)]);
      for (const [page, own, other] of [[pages[0], runA.runId, runB.runId], [pages[1], runB.runId, runA.runId]]) {
        const events = await receivedEvents(page);
        assertWholeRun(events, own);
        assert.ok(events.every((e) => e.text.includes(own)), "an event of another run reached the page");
        assert.ok(events.every((e) => !e.text.includes(other)));
        assert.equal(await page.locator(".turn").count(), 1);
        assert.equal(await page.locator(turn(other)).count(), 0);
        assertNoPageErrors(page);
      }
      assert.equal((await conversation(pages[0], runA.runId)).question, "Alice's question");
      assert.equal((await conversation(pages[1], runB.runId)).question, "Bob's question");
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it("stops instead of retrying when the user was signed out while away", testTimeout, () => throughNetwork("signedout", async ({ page, proxy, context }) => {
    await context.clearCookies(); // the sign-in expired
    proxy.cut();
    await page.waitForSelector('#status[data-state="stopped"]', { timeout: 30_000 });
    assert.equal(await page.textContent("#status"), "signed out: sign in again");
    assert.ok(await page.isDisabled("#run"));
    const attempts = proxy.accepted;
    await page.waitForTimeout(1500);
    assert.equal(proxy.accepted, attempts, "the page kept trying");
    // The refused upgrade and the 401 of the sign-in check are the browser's own reports of what the test caused.
    assertNoPageErrors(page, [/WebSocket connection to .* failed/, /status of 401/]);
  }));

  it("keeps two tabs of one user consistent", testTimeout, () => withContext(async (context) => {
    const user = newUser("carol");
    const first = await openPage(context);
    const second = await openPage(context);
    await signIn(first, user);
    await signIn(second, user);
    const { runId } = await startRun(first, { message: "Asked in the first tab", steps: 3 });
    await Promise.all([waitForRunEnd(first, runId), waitForRunEnd(second, runId)]);
    const [one, two] = [await receivedEvents(first), await receivedEvents(second)];
    assert.deepEqual(two.map((e) => [e.seq, e.type]), one.map((e) => [e.seq, e.type]));
    assertWholeRun(two, runId);
    const drawnOne = await conversation(first, runId);
    assert.deepEqual(await conversation(second, runId), drawnOne);
    assert.equal(drawnOne.question, "Asked in the first tab");

    // A third tab opened afterwards catches up from the server's replay window.
    const late = await openPage(context);
    await signIn(late, user);
    await waitForRunEnd(late, runId);
    assert.deepEqual(await conversation(late, runId), drawnOne);
    for (const page of [first, second, late]) assertNoPageErrors(page);
  }));
});

describe("the sample page when the server restarts", () => {
  it("reconnects, says the stream was reset, and goes on with new runs", testTimeout, async () => {
    let server = await startApp("samples/AgentChat");
    const context = await browser.newContext();
    try {
      const page = await openPage(context, server.url);
      await signIn(page, newUser("restart"));
      const first = await startRun(page, { steps: 1 });
      await waitForRunEnd(page, first.runId);
      const port = new URL(server.url).port;
      await server.stop(); // closes the page's socket with 1001
      await page.waitForSelector('#status[data-state="reconnecting"]');
      server = await startApp("samples/AgentChat", [], { urls: `http://127.0.0.1:${port}` });
      await page.waitForSelector('#status[data-state="live"]', { timeout: 60_000 });
      assert.match(await page.textContent("#notice"), /restarted/);
      const second = await startRun(page, { steps: 1 });
      await waitForRunEnd(page, second.runId);
      assertWholeRun(await receivedEvents(page), second.runId);
      // While the server was down, the page's reconnect attempts failed: Chromium reports each one.
      assertNoPageErrors(page, [/WebSocket connection to .* failed/, /Failed to load resource: net::ERR_CONNECTION_REFUSED/]);
    } finally {
      await context.close();
      await server.stop();
    }
  });
});
