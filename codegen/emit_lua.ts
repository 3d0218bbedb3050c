/**
 * Emits `generated/<revision>/sync_frame.lua`: a Wireshark Lua dissector
 * (protocol `syncframe`) for the sync frames inside WebSocket binary
 * messages, with every revision's framing and typed body schema; the
 * revision folder names its default.
 *
 * Loading it (Wireshark ≥ 3.6; Lua 5.2 or later):
 *
 * ```sh
 * # One run: a capture of a session on the default port 9090.
 * tshark -r session.pcapng -X lua_script:generated/2026-07/sync_frame.lua
 * # On another port: set the dissector's port (and decode the port as HTTP,
 * # so that Wireshark follows the WebSocket upgrade).
 * tshark -r session.pcapng -X lua_script:generated/2026-07/sync_frame.lua \
 *   -o syncframe.port:8080 -d tcp.port==8080,http
 * # For good: copy it into the personal Lua plugins folder, e.g.
 * cp generated/2026-07/sync_frame.lua ~/.local/lib/wireshark/plugins/
 * ```
 *
 * Preferences: `syncframe.revision` (`2026-04`, `2026-07` or `auto`; the
 * default is the file's folder) and `syncframe.port` (default 9090; 0 leaves
 * only the heuristic, which takes any WebSocket message that is exactly one
 * frame of the selected revision). Fields: `syncframe.type` (with the message
 * names), `.length`, `.version` and `.crc`, `.crc_computed`, `.crc_ok`
 * (2026-07), `.revision`, and the body by Rust names:
 * `syncframe.<struct>.<field>` (e.g. `syncframe.delta_push_msg.mutation_id`,
 * u64 exactly) and `syncframe.<enum>.<variant>.<field>`; an enum field holds
 * its variant tag (`syncframe.delta_ack_msg.status` = `Applied`). Expert infos
 * (`syncframe.expert.*`) mark short frames, a bad version, unknown types,
 * truncated frames, CRC mismatches, bodies that do not match the schema, and
 * trailing bytes.
 *
 * Observed on a capture of `tests/wireshark_test.ts`'s 2026-07 loopback
 * session (tshark 4.0.17, Lua 5.2; the server listened on port 42411):
 * Handshake, HandshakeAck, DeltaPush, DeltaAck, ping, pong, a foreign peer's
 * ping with one body bit flipped, and a last ping.
 *
 * ```text
 * $ tshark -r session.pcapng -X lua_script:generated/2026-07/sync_frame.lua \
 *     -o syncframe.port:42411 -d tcp.port==42411,http -Y syncframe \
 *     -T fields -E separator=, -e syncframe.type -e syncframe.crc_ok \
 *     -e syncframe.handshake_msg.wire_version \
 *     -e syncframe.delta_push_msg.mutation_id \
 *     -e syncframe.delta_ack_msg.status -e _ws.expert.message
 * 0x01,1,1,,,
 * 0x02,1,,,,
 * 0x10,1,,9007199254740993,,
 * 0x11,1,,,Applied,
 * 0xff,1,,,,
 * 0xff,1,,,,
 * 0xff,0,,,,CRC-32C 0x3bdbbe18 stored, 0xc9b03d1b computed over the 5-byte body
 * 0xff,1,,,,
 *
 * $ tshark -r session.pcapng -X lua_script:generated/2026-07/sync_frame.lua \
 *     -o syncframe.port:42411 -d tcp.port==42411,http \
 *     -Y "syncframe.type == 0x10" -O syncframe -V
 * …
 * NodeDB sync frame, DeltaPush
 *     [Revision: 2026-07]
 *     Version: 1
 *     Type: DeltaPush (0x10)
 *     Length: 78
 *     CRC-32C: 0xd1e864f1
 *     [CRC-32C computed: 0xd1e864f1]
 *     [CRC-32C matches: True]
 *     Body: DeltaPushMsg (78 bytes)
 *         collection: "users"
 *         document_id: "doc-1"
 *         delta: deadbeef (4 bytes)
 *         peer_id: 18446744073709551615
 *         mutation_id: 9007199254740993
 *         checksum: 0
 *         device_valid_time_ms: -5
 *         producer_id: 3
 *         epoch: 1
 *         seq: 1
 *         device_id: 0
 *         delta_signature: 0000000000000000000000000000000000000000000000000000000000000000 (32 bytes)
 * ```
 *
 * (tshark 4.0 prints booleans in `-T fields` as 1/0; later versions may
 * print True/False.)
 *
 * @module
 */

import { specPath } from "./emit.ts";
import { fieldKind } from "./kinds.ts";
import type { LuaEnv } from "./kinds.ts";
import { layoutOf } from "./layout.ts";
import { LUA_CONSTRUCTORS, LUA_RUNTIME } from "./_lua_runtime.ts";
import type { Spec, SpecField } from "./spec.ts";
import type { TypeExpr } from "./types.ts";

/** The WebSocket port the dissector registers for by default (reference §2). */
export const DEFAULT_PORT = 9090;

/** A Lua string literal (byte-exact: other bytes are written as they are). */
export function luaString(text: string): string {
  let escaped = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") escaped += "\\\\";
    else if (ch === '"') escaped += '\\"';
    else if (ch === "\n") escaped += "\\n";
    else if (code < 0x20 || code === 0x7f) {
      escaped += `\\${code.toString().padStart(3, "0")}`;
    } else escaped += ch;
  }
  return `"${escaped}"`;
}

/** `HandshakeAckMsg` → `handshake_ack_msg`, for field abbreviations. */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(
    /([A-Z])([A-Z][a-z])/g,
    "$1_$2",
  ).toLowerCase();
}

function indent(text: string, by: string): string {
  return text.split("\n").map((line) => line === "" ? line : by + line).join(
    "\n",
  );
}

/** The Lua table of one revision: framing, messages and types. */
function revisionTable(spec: Spec): string {
  const byName = new Map(spec.types.map((t) => [t.name, t]));
  const env: LuaEnv = {
    lua: (t: TypeExpr) => fieldKind(t).lua(t, env),
    isEnum: (name) => byName.get(name)?.kind === "enum",
  };
  const fieldList = (fields: SpecField[]) =>
    fields.map((f) =>
      `  T.field(${luaString(f.name)}, ${env.lua(f.type)}, ${
        luaString(f.doc)
      }),`
    ).join("\n");
  const { headerSize, offsets } = layoutOf(spec);
  const header = [
    `size = ${headerSize}`,
    ...(offsets.version >= 0
      ? [`version_at = ${offsets.version}`, `version = ${spec.frame.version}`]
      : []),
    `type_at = ${offsets.msg_type}`,
    `length_at = ${offsets.length}`,
    ...(offsets.crc32c >= 0 ? [`crc_at = ${offsets.crc32c}`] : []),
  ];
  const messages = spec.messages.map((m) =>
    `  [0x${m.code.toString(16).padStart(2, "0")}] = { name = ${
      luaString(m.name)
    }, body = ${luaString(m.body)} },`
  );
  const types = spec.types.map((t) => {
    if (t.kind === "struct") {
      return `T.struct(${luaString(t.name)}, ${
        luaString(snakeCase(t.name))
      }, {\n${fieldList(t.fields)}\n}),`;
    }
    const variants = t.variants.map((v) =>
      v.fields === null
        ? `  T.variant(${luaString(v.name)}, ${luaString(snakeCase(v.name))}),`
        : `  T.variant(${luaString(v.name)}, ${
          luaString(snakeCase(v.name))
        }, {\n${indent(fieldList(v.fields), "  ")}\n  }),`
    );
    return `T.enum(${luaString(t.name)}, ${luaString(snakeCase(t.name))}, {\n${
      variants.join("\n")
    }\n}),`;
  });
  return `{
  name = ${luaString(spec.revision)},
  wire_version = ${spec.wireVersion},
  unit_variants = ${luaString(spec.unitVariants)},
  max_depth = ${spec.limits.maxStructDepth},
  header = { ${header.join(", ")} },
  messages = {
${indent(messages.join("\n"), "  ")}
  },
  types = {
${indent(types.join("\n"), "    ")}
  },
}`;
}

/**
 * The dissector for `own`'s folder: every revision of `specs`, `own` the
 * default of the `syncframe.revision` preference.
 *
 * @param specs Every revision, oldest first.
 * @param own The revision whose folder the file goes into.
 * @returns Lua source (not formatted by `deno fmt`).
 */
export function emitLua(specs: Spec[], own: Spec): string {
  return `-- Code generated by codegen/emit_lua.ts from ${
    specs.map(specPath).join(", ")
  }. DO NOT EDIT.
--
-- Wireshark dissector for NodeDB sync frames (@sync/frame) inside WebSocket
-- binary messages, revisions ${
    specs.map((s) => s.revision).join(", ")
  }; default revision ${own.revision}.
--
--   tshark -X lua_script:generated/${own.revision}/sync_frame.lua -r capture.pcapng
--
-- or copy this file into Wireshark's personal Lua plugins folder. Preferences:
-- syncframe.revision (${
    specs.map((s) => s.revision).join(", ")
  }, auto), syncframe.port (default ${DEFAULT_PORT}).

local DEFAULT_REVISION = ${luaString(own.revision)}
local DEFAULT_PORT = ${DEFAULT_PORT}

${LUA_CONSTRUCTORS}
local REVISIONS = {
${specs.map((s) => indent(revisionTable(s), "  ") + ",").join("\n")}
}
${LUA_RUNTIME}`;
}
