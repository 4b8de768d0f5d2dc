// The WebSocket the SDK uses: the one passed in, else the platform's (browsers, Node 22+), else
// the `ws` package, loaded only when needed so that browser bundles never touch it.

/** The part of the WebSocket API the SDK uses; the browser's and `ws`'s both have it. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket class: the browser's `WebSocket`, or `WebSocket` from the `ws` package. */
export type WebSocketConstructor = new (url: string) => unknown;

export const OPEN = 1;

export async function resolveWebSocket(
  given: WebSocketConstructor | undefined,
): Promise<WebSocketConstructor> {
  if (given !== undefined) return given;
  const platform = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (platform !== undefined) return platform;
  const ws = (await import('ws')) as unknown as { default: WebSocketConstructor };
  return ws.default;
}
