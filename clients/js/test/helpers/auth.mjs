// Sign-in helpers: a cookie from the app's sign-in endpoint, and a `ws` WebSocket class that sends it.
import WebSocket from "ws";

/** Signs in and returns the cookie header to send, and the JSON the endpoint answered. */
export async function signIn(baseUrl, user, path = "/dev/login") {
  const response = await fetch(`${baseUrl}${path}?user=${encodeURIComponent(user)}`);
  if (!response.ok) throw new Error(`sign-in failed: ${response.status}`);
  const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return { cookie, body: await response.json() };
}

/**
 * A WebSocket class for the client's `WebSocket` option: Node's `ws` with the given request headers. Every
 * socket it makes is pushed to `sockets`, so a test can cut one.
 * @param {Record<string, string>} headers
 * @param {WebSocket[]} [sockets]
 */
export function webSocketWith(headers, sockets = []) {
  return class extends WebSocket {
    constructor(url, protocols) {
      super(url, protocols, { headers });
      sockets.push(this);
    }
  };
}

/** POSTs JSON with the cookie; returns the parsed answer. */
export async function post(baseUrl, path, cookie, body) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}
