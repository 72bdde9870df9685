// Waiting for conditions, and recording what a client reports.

/** Polls until `predicate()` is truthy; fails with `message` (and what `describe()` says) after `timeoutMs`. */
export async function waitFor(predicate, { timeoutMs = 15_000, message = "condition", describe = () => "" } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${message} ${describe()}`);
    await sleep(10);
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records a client's events, statuses, resets and errors. */
export function record(client) {
  const log = { events: [], statuses: [], resets: [], errors: [] };
  client.on("event", (e) => log.events.push(e));
  client.on("status", (s) => log.statuses.push({ ...s, at: Date.now() }));
  client.on("reset", (r) => log.resets.push({ ...r, atEvent: log.events.length }));
  client.on("error", (e) => log.errors.push(e));
  return log;
}

/** Asserts that `seqs` increase by exactly one from `first`. */
export function contiguous(seqs, first) {
  return seqs.every((seq, index) => seq === first + index);
}
