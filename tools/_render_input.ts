// Reading the inspector's input: raw binary frames, or the same bytes as hex
// or base64 text. Only the text side is decided here; whether hex lines are
// one frame each needs the framing, which tools/cli.ts owns.

/** One line of hex text, whitespace removed. */
export interface HexLine {
  /** 1-based line number in the input. */
  line: number;
  /** The hex digits of the line. */
  digits: string;
}

/**
 * What the input looks like. `text` marks binary input made only of printable
 * characters (neither hex nor base64), so that errors can say so.
 */
export type ClassifiedInput =
  | { kind: "binary"; text: boolean }
  | { kind: "hex"; lines: HexLine[] }
  | { kind: "base64"; text: string };

// A binary capture always holds bytes outside printable ASCII: a frame's u32
// LE length has a zero byte unless the body is 16 MiB or more, and even then
// its bytes would all have to be printable. So text is decided by bytes alone.
function isTextByte(b: number): boolean {
  return (b >= 0x20 && b <= 0x7e) || (b >= 0x09 && b <= 0x0d);
}

const BASE64 = /^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$/;

/**
 * Tells binary input from hex or base64 text. Text is printable ASCII and
 * whitespace only. Hex may have whitespace anywhere (`ff 05 00 …`) and `0x`
 * before a run of digits; base64
 * only between lines, so that plain words are not taken for base64. Hex wins
 * over base64 when every character is a hex digit (hex digits are base64
 * characters too). Anything else is binary.
 */
export function classifyInput(input: Uint8Array): ClassifiedInput {
  if (input.length === 0 || !input.every(isTextByte)) {
    return { kind: "binary", text: false };
  }
  // Every byte is ASCII here, so UTF-8 decoding is exact.
  const text = new TextDecoder().decode(input);
  const lines: HexLine[] = [];
  let hex = true;
  let spacedWithinLines = false;
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    // `0x` before a run of digits is allowed (`0xff 0x05 …`, C-style dumps).
    const digits = raw.replace(/(^|\s)0[xX](?=[0-9a-fA-F])/g, "$1")
      .replace(/\s+/g, "");
    if (digits === "") return;
    if (!/^[0-9a-fA-F]+$/.test(digits)) hex = false;
    if (/\s/.test(raw.trim())) spacedWithinLines = true;
    lines.push({ line: i + 1, digits });
  });
  if (hex) return { kind: "hex", lines };
  const compact = lines.map((l) => l.digits).join("");
  if (!spacedWithinLines && BASE64.test(compact)) {
    return { kind: "base64", text: compact };
  }
  return { kind: "binary", text: true };
}

/**
 * Decodes base64 (standard or URL alphabet, padding optional).
 *
 * @returns The bytes, or `undefined` when the text ends inside a byte.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  const bare = text.replace(/=+$/, "").replaceAll("-", "+").replaceAll(
    "_",
    "/",
  );
  if (bare.length % 4 === 1) return undefined;
  const padded = bare + "=".repeat((4 - bare.length % 4) % 4);
  let binary: string;
  try {
    binary = atob(padded);
  } catch {
    return undefined;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
