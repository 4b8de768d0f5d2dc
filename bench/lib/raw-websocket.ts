// A minimal WebSocket client over a raw TCP socket for the load generator: no per-frame events,
// one shared read buffer, frames handed over as views, so that the client is never what is measured.

import net from 'node:net';

/** Called with a view of one text or binary frame's payload; valid only during the call. */
export type FrameHandler = (payload: Buffer, socket: RawWebSocket) => void;

export interface RawConnectOptions {
  host: string;
  port: number;
  path: string;
  headers?: Record<string, string>;
  onFrame: FrameHandler;
  onClose?: (socket: RawWebSocket) => void;
}

// One read buffer for every socket: onread callbacks run one at a time, and partial frames are copied.
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);
const HEADER_END = Buffer.from('\r\n\r\n');
const OPCODE_CONTINUATION = 0x0;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;

export class RawWebSocket {
  readonly #socket: net.Socket;
  readonly #options: RawConnectOptions;
  #upgraded = false;
  #pending: Buffer | null = null;
  #fragments: Buffer[] | null = null;
  #closed = false;
  #onOpen: ((error?: Error) => void) | null;

  private constructor(options: RawConnectOptions, onOpen: (error?: Error) => void) {
    this.#options = options;
    this.#onOpen = onOpen;
    this.#socket = net.connect({
      host: options.host,
      port: options.port,
      noDelay: true,
      onread: { buffer: READ_BUFFER, callback: (n, buf) => this.#onRead(n, buf) },
    });
    this.#socket.on('connect', () => this.#sendUpgrade());
    this.#socket.on('error', (error) => this.#finish(error));
    this.#socket.on('close', () => this.#finish(new Error('socket closed')));
  }

  /** Connects and completes the HTTP upgrade. */
  static connect(options: RawConnectOptions): Promise<RawWebSocket> {
    return new Promise((resolve, reject) => {
      const ws: RawWebSocket = new RawWebSocket(options, (error) => (error ? reject(error) : resolve(ws)));
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends a text frame. Client frames must be masked; an all-zero key leaves the payload as is. */
  sendText(text: string): void {
    if (this.#closed) return;
    const payload = Buffer.from(text);
    this.#socket.write(Buffer.concat([frameHeader(0x1, payload.length), payload]));
  }

  /** Drops the connection at once, as a lost network would. */
  destroy(): void {
    this.#closed = true;
    this.#socket.destroy();
  }

  #sendUpgrade(): void {
    const { host, port, path, headers = {} } = this.#options;
    const lines = [
      `GET ${path} HTTP/1.1`,
      `Host: ${host}:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${Buffer.from(Math.random().toString(36).slice(2, 18).padEnd(16, 'x')).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      '',
      '',
    ];
    this.#socket.write(lines.join('\r\n'));
  }

  #onRead(nread: number, buf: Uint8Array): boolean {
    let data = Buffer.from(buf.buffer, buf.byteOffset, nread);
    if (this.#pending !== null) {
      data = Buffer.concat([this.#pending, data]);
      this.#pending = null;
    }
    if (!this.#upgraded) {
      const end = data.indexOf(HEADER_END);
      if (end < 0) {
        this.#pending = Buffer.from(data);
        return true;
      }
      const head = data.toString('latin1', 0, end);
      if (!head.startsWith('HTTP/1.1 101')) {
        this.#finish(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
        this.#socket.destroy();
        return false;
      }
      this.#upgraded = true;
      const onOpen = this.#onOpen;
      this.#onOpen = null;
      onOpen?.();
      data = data.subarray(end + 4);
    }
    this.#parse(data);
    return true;
  }

  #parse(data: Buffer): void {
    let pos = 0;
    while (data.length - pos >= 2) {
      const b0 = data[pos]!;
      const b1 = data[pos + 1]!;
      if (b1 & 0x80) throw new Error('a server frame must not be masked');
      let length = b1 & 0x7f;
      let offset = pos + 2;
      if (length === 126) {
        if (data.length - pos < 4) break;
        length = data.readUInt16BE(offset);
        offset += 2;
      } else if (length === 127) {
        if (data.length - pos < 10) break;
        length = Number(data.readBigUInt64BE(offset));
        offset += 8;
      }
      if (data.length - offset < length) break;
      this.#onFrameBytes(b0, data.subarray(offset, offset + length));
      pos = offset + length;
    }
    if (pos < data.length) this.#pending = Buffer.from(data.subarray(pos));
  }

  #onFrameBytes(b0: number, payload: Buffer): void {
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    if (opcode >= 0x8) {
      if (opcode === OPCODE_PING)
        this.#socket.write(Buffer.concat([frameHeader(0xa, payload.length), payload]));
      else if (opcode === OPCODE_CLOSE) this.destroy();
      return;
    }
    if (!fin || opcode === OPCODE_CONTINUATION) {
      // Fragmented messages are rare from these servers; reassemble them rather than miscount.
      (this.#fragments ??= []).push(Buffer.from(payload));
      if (!fin) return;
      payload = Buffer.concat(this.#fragments);
      this.#fragments = null;
    }
    this.#options.onFrame(payload, this);
  }

  #finish(error: Error): void {
    const wasClosed = this.#closed;
    this.#closed = true;
    if (this.#onOpen !== null) {
      const onOpen = this.#onOpen;
      this.#onOpen = null;
      onOpen(error);
      return;
    }
    if (!wasClosed) this.#options.onClose?.(this);
  }
}

function frameHeader(opcode: number, length: number): Buffer {
  // FIN + opcode; MASK bit with a zero masking key.
  if (length < 126) return Buffer.from([0x80 | opcode, 0x80 | length, 0, 0, 0, 0]);
  if (length < 65536) {
    const header = Buffer.alloc(8);
    header[0] = 0x80 | opcode;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.alloc(14);
  header[0] = 0x80 | opcode;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}
