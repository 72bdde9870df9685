// A TCP proxy on 127.0.0.1 that stands for the network between a client and a server: cut() drops every
// connection at once (a reset, no close frame), freeze() makes the network go silent without closing anything
// (connections stay open, nothing passes, new connections hang), thaw() brings it back, resetNext(n) resets the
// next n connections as soon as they are accepted (a connection that fails before anything is said).
import net from "node:net";

export async function startProxy(targetUrl) {
  const target = new URL(targetUrl);
  const pairs = new Set();
  let frozen = false;
  let accepted = 0;
  let toReset = 0;
  /** @type {net.Socket[]} */
  let held = [];

  const link = (client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    const pair = { client, upstream };
    pairs.add(pair);
    // Forwarded by hand rather than piped: a piped socket may resume by itself, and a frozen one must not.
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => client.write(chunk));
    if (frozen) {
      client.pause();
      upstream.pause();
    }
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
  };

  const server = net.createServer((client) => {
    accepted++;
    client.on("error", () => client.destroy());
    if (toReset > 0) {
      toReset--;
      client.resetAndDestroy();
    } else if (frozen) {
      client.pause();
      held.push(client);
    } else {
      link(client);
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = /** @type {net.AddressInfo} */ (server.address());

  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return pairs.size;
    },
    /** How many connections it has accepted so far. */
    get accepted() {
      return accepted;
    },
    cut() {
      for (const { client, upstream } of pairs) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
      pairs.clear();
    },
    /** Resets the next `count` connections as soon as they are accepted. */
    resetNext(count) {
      toReset = count;
    },
    freeze() {
      frozen = true;
      for (const { client, upstream } of pairs) {
        client.pause();
        upstream.pause();
      }
    },
    thaw() {
      frozen = false;
      for (const { client, upstream } of pairs) {
        client.resume();
        upstream.resume();
      }
      const waiting = held;
      held = [];
      for (const client of waiting) {
        if (!client.destroyed) {
          link(client);
          client.resume();
        }
      }
    },
    async close() {
      for (const client of held) client.destroy();
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
