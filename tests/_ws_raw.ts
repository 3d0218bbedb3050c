// Hand-made WebSocket peers over raw TCP (RFC 6455), for the tests that
// play a hostile or silent peer: frames of any shape (fragments, huge
// declared lengths), an upgrade by hand on either side, and a frame reader.

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** WebSocket opcodes. */
export const Opcode = {
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const;

/**
 * One WebSocket frame. `mask` (a client's frames must be masked) uses the
 * all-zero key, so the payload goes out as it is.
 */
export function wsFrame(
  opcode: number,
  payload: Uint8Array,
  { fin = true, mask = false }: { fin?: boolean; mask?: boolean } = {},
): Uint8Array {
  const n = payload.length;
  const lengthBytes = n < 126 ? 0 : n < 65536 ? 2 : 8;
  const head = 2 + lengthBytes + (mask ? 4 : 0);
  const out = new Uint8Array(head + n);
  out[0] = (fin ? 0x80 : 0) | opcode;
  const view = new DataView(out.buffer);
  if (lengthBytes === 0) out[1] = n;
  else if (lengthBytes === 2) {
    out[1] = 126;
    view.setUint16(2, n);
  } else {
    out[1] = 127;
    view.setBigUint64(2, BigInt(n));
  }
  if (mask) out[1] |= 0x80; // key 00 00 00 00 follows
  out.set(payload, head);
  return out;
}

/** A close frame's payload: the code, then the reason. */
export function closePayload(code: number, reason = ""): Uint8Array {
  const text = encoder.encode(reason);
  const out = new Uint8Array(2 + text.length);
  new DataView(out.buffer).setUint16(0, code);
  out.set(text, 2);
  return out;
}

/** A frame read back. */
export interface ReadFrame {
  fin: boolean;
  opcode: number;
  payload: Uint8Array;
}

/** Reads WebSocket frames (masked or not) from a connection. */
export class FrameReader {
  #conn: Deno.Conn;
  #buffer: Uint8Array = new Uint8Array(0);

  constructor(conn: Deno.Conn, leftover: Uint8Array = new Uint8Array(0)) {
    this.#conn = conn;
    this.#buffer = leftover;
  }

  async #need(n: number): Promise<boolean> {
    while (this.#buffer.length < n) {
      const chunk = new Uint8Array(64 * 1024);
      let got: number | null;
      try {
        got = await this.#conn.read(chunk);
      } catch {
        return false;
      }
      if (got === null) return false;
      const joined = new Uint8Array(this.#buffer.length + got);
      joined.set(this.#buffer);
      joined.set(chunk.subarray(0, got), this.#buffer.length);
      this.#buffer = joined;
    }
    return true;
  }

  #take(n: number): Uint8Array {
    const out = this.#buffer.slice(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return out;
  }

  /** The next frame, or `null` when the connection ends. */
  async next(): Promise<ReadFrame | null> {
    if (!await this.#need(2)) return null;
    const b0 = this.#buffer[0];
    const b1 = this.#buffer[1];
    let length = b1 & 0x7f;
    let at = 2;
    if (length === 126) {
      if (!await this.#need(4)) return null;
      length = (this.#buffer[2] << 8) | this.#buffer[3];
      at = 4;
    } else if (length === 127) {
      if (!await this.#need(10)) return null;
      length = Number(new DataView(this.#buffer.buffer, this.#buffer.byteOffset)
        .getBigUint64(2));
      at = 10;
    }
    const masked = (b1 & 0x80) !== 0;
    const total = at + (masked ? 4 : 0) + length;
    if (!await this.#need(total)) return null;
    const frame = this.#take(total);
    const payload = frame.slice(at + (masked ? 4 : 0));
    if (masked) {
      const key = frame.subarray(at, at + 4);
      for (let i = 0; i < payload.length; i++) payload[i] ^= key[i & 3];
    }
    return { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload };
  }

  /** Reads frames until a close frame; its code, or `null` if the connection ended first. */
  async closeCode(): Promise<number | null> {
    for (;;) {
      const frame = await this.next();
      if (frame === null) return null;
      if (frame.opcode === Opcode.Close) {
        return frame.payload.length >= 2
          ? (frame.payload[0] << 8) | frame.payload[1]
          : 1005;
      }
    }
  }
}

async function readHead(
  conn: Deno.Conn,
): Promise<{ head: string; leftover: Uint8Array }> {
  let bytes = new Uint8Array(0);
  for (;;) {
    const text = decoder.decode(bytes);
    const end = text.indexOf("\r\n\r\n");
    if (end >= 0) {
      const headLength = encoder.encode(text.slice(0, end + 4)).length;
      return {
        head: text.slice(0, end),
        leftover: bytes.slice(headLength),
      };
    }
    const chunk = new Uint8Array(4096);
    const n = await conn.read(chunk);
    if (n === null) throw new Error("connection ended inside the HTTP head");
    const joined = new Uint8Array(bytes.length + n);
    joined.set(bytes);
    joined.set(chunk.subarray(0, n), bytes.length);
    bytes = joined;
  }
}

/** Opens a TCP connection and upgrades it by hand: a raw WebSocket client. */
export async function rawWsClient(
  port: number,
  path = "/",
): Promise<{ conn: Deno.TcpConn; reader: FrameReader }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const key = btoa("raw-client-key!!");
  await conn.write(
    encoder.encode(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\n` +
        `Sec-WebSocket-Version: 13\r\n\r\n`,
    ),
  );
  const { head, leftover } = await readHead(conn);
  if (!head.startsWith("HTTP/1.1 101")) {
    conn.close();
    throw new Error(`not upgraded: ${head}`);
  }
  return { conn, reader: new FrameReader(conn, leftover) };
}

/** Reads an upgrade request on `conn` and accepts it: a raw WebSocket server. */
export async function acceptRawWs(conn: Deno.Conn): Promise<FrameReader> {
  const { head, leftover } = await readHead(conn);
  const key = /^sec-websocket-key:\s*(\S+)/im.exec(head)?.[1];
  if (key === undefined) throw new Error(`no key in ${head}`);
  const digest = await crypto.subtle.digest(
    "SHA-1",
    encoder.encode(key + GUID),
  );
  const accept = btoa(String.fromCharCode(...new Uint8Array(digest)));
  await conn.write(
    encoder.encode(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    ),
  );
  return new FrameReader(conn, leftover);
}

/**
 * Sends one binary message that declares a huge frame (`declared` body
 * bytes) and then continuation fragments of `fragment` bytes, as an attacker
 * does, until `stop()` says so or `cap` bytes went out.
 *
 * @returns The bytes sent.
 */
export async function floodFragments(
  conn: Deno.Conn,
  options: {
    header: Uint8Array;
    fragment: number;
    cap: number;
    mask: boolean;
    stop(): boolean;
  },
): Promise<number> {
  const first = new Uint8Array(options.fragment);
  first.set(options.header);
  const firstFrame = wsFrame(Opcode.Binary, first, {
    fin: false,
    mask: options.mask,
  });
  const next = wsFrame(
    Opcode.Continuation,
    new Uint8Array(options.fragment).fill(0x5a),
    { fin: false, mask: options.mask },
  );
  let sent = 0;
  try {
    await writeAll(conn, firstFrame);
    sent += first.length;
    while (!options.stop() && sent < options.cap) {
      await writeAll(conn, next);
      sent += options.fragment;
    }
  } catch {
    // The peer dropped the connection.
  }
  return sent;
}

/** Writes all of `bytes`. */
export async function writeAll(
  conn: Deno.Conn,
  bytes: Uint8Array,
): Promise<void> {
  let at = 0;
  while (at < bytes.length) at += await conn.write(bytes.subarray(at));
}
