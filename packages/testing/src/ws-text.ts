// The text of a `ws` message. A `message` listener gets RawData, which is a Buffer, an ArrayBuffer
// or a list of Buffers depending on the socket's binaryType; `String(data)` is right only for the
// first (a list would be joined with commas), so tests decode it here.

/** The UTF-8 text of a `ws` message's data (ws's `RawData`). */
export function wsText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
