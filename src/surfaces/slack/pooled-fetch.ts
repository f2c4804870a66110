import type { FetchFunction } from "@slack/web-api";
import { Agent, request } from "undici";

/** Statuses whose response has no body (the Response constructor refuses one). */
const NO_BODY = new Set([204, 205, 304]);

/**
 * `fetch` for the Slack Web API clients (WebClient's `fetch` option), on undici's request API and
 * a keep-alive agent of its own (issue 16). Node's fetch builds a Request, WHATWG streams and a
 * Response around every call: 418 µs of CPU a call against 133 µs here (a local server, warm), and
 * a ticket makes two or three calls. The client sends a POST with a form-encoded string body, or a
 * FormData for a file's bytes, which goes to the global fetch. The answer is a real Response, read
 * whole: the client reads every body whole anyway. A redirect is answered as it comes (the client
 * asks for none: its "error" mode and an answer other than 200 both end as its errors).
 */
export function pooledFetch(agent: Agent = new Agent({ keepAliveTimeout: 30_000 })): FetchFunction {
  return async (url, init) => {
    const body = init?.body;
    if (body !== undefined && typeof body !== "string") return fetch(url, init);
    const res = await request(url, {
      dispatcher: agent,
      method: (init?.method ?? "GET") as "GET",
      ...(init?.headers ? { headers: init.headers } : {}),
      ...(body !== undefined ? { body } : {}),
      ...(init?.signal ? { signal: init.signal } : {}),
    });
    const text = await res.body.text();
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    const response = new Response(NO_BODY.has(res.statusCode) ? null : text, { status: res.statusCode, headers });
    Object.defineProperty(response, "url", { value: String(url) });
    return response;
  };
}

/** The one the Slack surface's clients share (Bolt's and the outbox sender's). */
export const slackFetch = pooledFetch();
