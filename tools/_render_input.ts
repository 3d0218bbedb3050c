// Reading the inspector's input: raw binary frames, the same bytes as hex or
// base64 text, or a pcap/pcapng capture. Only the text side is decided here;
// whether hex lines are one frame each needs the framing, which
// tools/_inspect.ts owns.

/** A character that is not a hex digit inside hex text. */
export interface Stray {
  /** The character. */
  char: string;
  /** Its 0-based character offset in the whole input. */
  offset: number;
  /** Its 1-based column in its line. */
  column: number;
}

/** One line of hex text, whitespace removed. */
export interface HexLine {
  /** 1-based line number in the input. */
  line: number;
  /** The hex digits of the line, up to its first stray character. */
  digits: string;
  /** The first character of the line that is not a hex digit, if any. */
  stray?: Stray;
}

/** How the inspector reads its input (`--format`). */
export type InputFormat = "binary" | "hex" | "hex-lines" | "base64";

/**
 * What the input looks like. `text` marks binary input made only of printable
 * characters (neither hex nor base64), so that errors can say so. `pcap` is a
 * packet capture (its WebSocket messages must be extracted first).
 */
export type ClassifiedInput =
  | { kind: "binary"; text: boolean }
  | { kind: "hex"; lines: HexLine[]; byLine?: boolean }
  | { kind: "base64"; text: string }
  | { kind: "pcap" };

// A binary capture always holds bytes outside printable ASCII: a frame's u32
// LE length has a zero byte unless the body is 16 MiB or more, and even then
// its bytes would all have to be printable. So text is decided by bytes alone.
function isTextByte(b: number): boolean {
  return (b >= 0x20 && b <= 0x7e) || (b >= 0x09 && b <= 0x0d);
}

const BASE64 = /^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$/;

/** Whether the bytes start like a pcap or pcapng file. */
export function isPcap(input: Uint8Array): boolean {
  if (input.length < 4) return false;
  const magic = ((input[0] << 24) | (input[1] << 16) | (input[2] << 8) |
    input[3]) >>> 0;
  return magic === 0xa1b2c3d4 || magic === 0xd4c3b2a1 ||
    magic === 0xa1b23c4d || magic === 0x4d3cb2a1 || magic === 0x0a0d0d0a;
}

const HEX_DIGIT = /[0-9a-fA-F]/;

/** Splits text into hex lines, noting each line's first stray character. */
function hexLines(
  text: string,
): { lines: HexLine[]; strays: number; spaced: boolean; digits: number } {
  const lines: HexLine[] = [];
  let strays = 0;
  let digitCount = 0;
  let spaced = false;
  let offset = 0;
  const raws = text.split(/(\r\n|\n|\r)/);
  let lineNumber = 0;
  for (let k = 0; k < raws.length; k += 2) {
    const raw = raws[k];
    lineNumber++;
    // `0x` before a run of digits is allowed (`0xff 0x05 …`, C-style dumps).
    const cleaned = raw.replace(/(^|\s)0[xX](?=[0-9a-fA-F])/g, "$1  ");
    let digits = "";
    let stray: Stray | undefined;
    for (let c = 0; c < cleaned.length; c++) {
      const ch = cleaned[c];
      if (/\s/.test(ch)) continue;
      if (HEX_DIGIT.test(ch)) {
        digitCount++;
        if (stray === undefined) digits += ch;
      } else {
        strays++;
        stray ??= { char: ch, offset: offset + c, column: c + 1 };
      }
    }
    if (/\S\s+\S/.test(raw.trim())) spaced = true;
    if (digits !== "" || stray !== undefined) {
      lines.push(
        stray === undefined ? { line: lineNumber, digits } : {
          line: lineNumber,
          digits,
          stray,
        },
      );
    }
    offset += raw.length + (raws[k + 1]?.length ?? 0);
  }
  return { lines, strays, spaced, digits: digitCount };
}

/**
 * Tells binary input from hex or base64 text (or takes the form `format`
 * forces). Text is printable ASCII and whitespace only. Hex may have
 * whitespace anywhere (`ff 05 00 …`) and `0x` before a run of digits; base64
 * only between lines, so that plain words are not taken for base64. Hex wins
 * when every character is a hex digit (hex digits are base64 characters
 * too), and also when at least 90% are: one stray character in a hex capture
 * is reported where it is, never read as another format (base64 of random
 * bytes is about two thirds non-hex letters). Anything else is binary.
 */
export function classifyInput(
  input: Uint8Array,
  format?: InputFormat,
): ClassifiedInput {
  if (format === "binary") return { kind: "binary", text: false };
  if (format === undefined && isPcap(input)) return { kind: "pcap" };
  const textual = input.length > 0 && input.every(isTextByte);
  if (format === undefined && !textual) return { kind: "binary", text: false };
  // Printable ASCII: UTF-8 decoding is exact. Forced text formats decode
  // whatever they get; stray bytes are then reported as stray characters.
  const text = new TextDecoder().decode(input);
  if (format === "base64") {
    return { kind: "base64", text: text.replace(/\s+/g, "") };
  }
  const { lines, strays, spaced, digits } = hexLines(text);
  if (format === "hex") return { kind: "hex", lines, byLine: false };
  if (format === "hex-lines") return { kind: "hex", lines, byLine: true };
  if (strays === 0) return { kind: "hex", lines };
  const compact = text.split(/\r\n|\n|\r/).map((l) => l.trim()).join("");
  if (!spaced && BASE64.test(compact) && digits < 0.9 * (digits + strays)) {
    return { kind: "base64", text: compact };
  }
  if (digits >= 0.9 * (digits + strays)) return { kind: "hex", lines };
  return { kind: "binary", text: true };
}

/**
 * Decodes base64 (standard or URL alphabet, padding optional).
 *
 * @returns The bytes, or `undefined` when the text ends inside a byte or
 * holds a character outside the alphabet.
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
