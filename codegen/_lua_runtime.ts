/**
 * The static Lua of the Wireshark dissector that `emit_lua.ts` writes: the
 * schema constructors (`T.*`, which the kinds table's `lua` facet names), and
 * the runtime — CRC-32C, the `syncframe` protocol with its fields, expert
 * infos and preferences, the MessagePack reader driven by the schema
 * (`_lua_values.ts`, `_lua_containers.ts`), the framing, and the port and
 * heuristic registration. The emitter puts the revisions' schema tables
 * between the constructors and the runtime.
 *
 * Written for the Wireshark ≥ 3.6 Lua API (tested with tshark 4.0); runs on
 * Lua 5.2 (`bit32`) and on Lua 5.3+ (integer operators). Every dissection
 * runs under `pcall`: a frame that does not fit gets expert info, never a Lua
 * error.
 *
 * @module
 */

import { LUA_CONTAINERS } from "./_lua_containers.ts";
import { LUA_VALUES } from "./_lua_values.ts";

/**
 * Schema constructors. Each node has `k` (which reader reads it) and `ft`
 * (the ProtoField type a struct field of that type is shown with).
 */
export const LUA_CONSTRUCTORS = String.raw`local T = {}
function T.uint(name, width)
  return { k = "uint", ft = "uint64", name = name, width = width }
end
T.i64 = { k = "int", ft = "int64", name = "i64" }
T.f32 = { k = "f32", ft = "float", name = "f32" }
T.bool = { k = "bool", ft = "bool", name = "bool" }
T.str = { k = "str", ft = "string", name = "string" }
T.bin = { k = "bin", ft = "bytes", name = "bytes" }
T.any = { k = "any", ft = "none", name = "msgpack" }
T.u8list = { k = "u8list", ft = "bytes", name = "list<u8>" }
function T.fixed(n)
  return { k = "fixed", ft = "bytes", n = n, name = "u8x" .. n }
end
function T.list(item)
  return { k = "list", ft = "none", item = item, name = "list" }
end
function T.map(key, value)
  return { k = "map", ft = "none", key = key, value = value, name = "map" }
end
function T.option(item)
  return { k = "option", ft = item.ft, item = item, name = "option" }
end
function T.tuple(items)
  return { k = "tuple", ft = "none", items = items, name = "tuple" }
end
function T.struct_ref(name)
  return { k = "struct", ft = "none", name = name }
end
function T.enum_ref(name)
  return { k = "enum", ft = "string", name = name }
end
function T.field(name, type, doc)
  return { name = name, type = type, doc = doc }
end
function T.struct(name, key, fields)
  return { kind = "struct", name = name, key = key, fields = fields }
end
function T.variant(name, key, fields)
  return { name = name, key = key, fields = fields }
end
function T.enum(name, key, variants)
  return { kind = "enum", name = name, key = key, variants = variants }
end
`;

/** Everything after the schema tables. */
/** CRC-32C, the protocol, its fields, expert infos and preferences. */
const LUA_PROTOCOL = String.raw`
---------------------------------------------------------------------------
-- CRC-32C (Castagnoli, reflected 0x82F63B78), table-driven.

local band, bxor, rshift
if bit32 ~= nil then
  band, bxor, rshift = bit32.band, bit32.bxor, bit32.rshift
else
  band, bxor, rshift = load([[
    return function(a, b) return a & b end,
      function(a, b) return a ~ b end,
      function(a, n) return a >> n end
  ]])()
end

local CRC_TABLE = {}
for i = 0, 255 do
  local c = i
  for _ = 1, 8 do
    if band(c, 1) == 1 then
      c = bxor(rshift(c, 1), 0x82F63B78)
    else
      c = rshift(c, 1)
    end
  end
  CRC_TABLE[i] = c
end

local function crc32c(tvb, offset, length)
  local crc = 0xFFFFFFFF
  local at, stop = offset, offset + length
  while at < stop do
    local n = math.min(4096, stop - at)
    local chunk = tvb:raw(at, n)
    for i = 1, n do
      crc = bxor(CRC_TABLE[band(bxor(crc, chunk:byte(i)), 0xFF)], rshift(crc, 8))
    end
    at = at + n
  end
  return bxor(crc, 0xFFFFFFFF)
end

---------------------------------------------------------------------------
-- The protocol, its fields and expert infos.

local proto = Proto("syncframe", "NodeDB sync frame")

local TYPE_NAMES = {}
for _, rev in ipairs(REVISIONS) do
  for code, message in pairs(rev.messages) do
    local known = TYPE_NAMES[code]
    if known == nil then
      TYPE_NAMES[code] = message.name
    elseif known ~= message.name then
      TYPE_NAMES[code] = known .. " / " .. message.name
    end
  end
end

-- ProtoField.string took (abbr, name, desc) before it took a display base.
local function string_field(abbrev, name, desc)
  local ok, field = pcall(ProtoField.string, abbrev, name, desc)
  if ok then return field end
  return ProtoField.string(abbrev, name, base.UNICODE, desc)
end

local function protofield(ft, abbrev, name, desc)
  if ft == "uint64" then return ProtoField.uint64(abbrev, name, base.DEC, nil, nil, desc) end
  if ft == "int64" then return ProtoField.int64(abbrev, name, base.DEC, nil, nil, desc) end
  if ft == "float" then return ProtoField.float(abbrev, name, nil, desc) end
  if ft == "double" then return ProtoField.double(abbrev, name, nil, desc) end
  if ft == "bool" then return ProtoField.bool(abbrev, name, base.NONE, nil, nil, desc) end
  if ft == "string" then return string_field(abbrev, name, desc) end
  if ft == "bytes" then return ProtoField.bytes(abbrev, name, base.NONE, desc) end
  return ProtoField.none(abbrev, name, desc)
end

local hf = {
  revision = string_field("syncframe.revision", "Revision", "The wire revision the frame was read as"),
  version = ProtoField.uint8("syncframe.version", "Version", base.DEC, nil, nil,
    "Frame format version byte"),
  type = ProtoField.uint8("syncframe.type", "Type", base.HEX, TYPE_NAMES, nil,
    "Message type byte"),
  length = ProtoField.uint32("syncframe.length", "Length", base.DEC, nil, nil,
    "Body length in bytes (u32 little-endian)"),
  crc = ProtoField.uint32("syncframe.crc", "CRC-32C", base.HEX, nil, nil,
    "CRC-32C of the body as stored in the header (u32 little-endian)"),
  crc_computed = ProtoField.uint32("syncframe.crc_computed", "CRC-32C computed", base.HEX, nil, nil,
    "CRC-32C computed over the body"),
  crc_ok = ProtoField.bool("syncframe.crc_ok", "CRC-32C matches", base.NONE, nil, nil,
    "Whether the stored CRC-32C matches the body"),
  body = ProtoField.none("syncframe.body", "Body", "The typed body"),
  trailing = ProtoField.bytes("syncframe.trailing", "Trailing bytes", base.NONE,
    "Bytes after the frame in the same message"),
  entry = ProtoField.none("syncframe.entry", "Entry", "One entry of a map"),
  none = ProtoField.none("syncframe.value.none", "None", "None (nil)"),
  more = ProtoField.none("syncframe.more", "More", "Items read but not shown"),
}
local G = {
  uint64 = ProtoField.uint64("syncframe.value.uint", "Unsigned", base.DEC),
  int64 = ProtoField.int64("syncframe.value.int", "Signed", base.DEC),
  float = ProtoField.float("syncframe.value.f32", "Float32"),
  double = ProtoField.double("syncframe.value.float", "Float"),
  bool = ProtoField.bool("syncframe.value.bool", "Boolean", base.NONE),
  string = string_field("syncframe.value.string", "String"),
  bytes = ProtoField.bytes("syncframe.value.bytes", "Bytes", base.NONE),
  none = ProtoField.none("syncframe.value.node", "Value"),
}

local fields = {}
for _, name in ipairs({ "revision", "version", "type", "length", "crc", "crc_computed", "crc_ok",
  "body", "trailing", "entry", "none", "more" }) do
  fields[#fields + 1] = hf[name]
end
for _, name in ipairs({ "uint64", "int64", "float", "double", "bool", "string", "bytes", "none" }) do
  fields[#fields + 1] = G[name]
end

-- One ProtoField per struct field and per data-variant field, by its Rust
-- name: syncframe.<struct>.<field>, syncframe.<enum>.<variant>.<field>.
local declared = {}
local function declare(abbrev, ft, name, doc)
  local known = declared[abbrev]
  if known ~= nil then
    if known.ft == ft then return known.field end
    -- Another revision gives the field another type: <abbrev>.<type>.
    return declare(abbrev .. "." .. ft, ft, name, doc)
  end
  local field = protofield(ft, abbrev, name, doc)
  declared[abbrev] = { ft = ft, field = field }
  fields[#fields + 1] = field
  return field
end

local by_name = {}
local default_index = 1
for i, rev in ipairs(REVISIONS) do
  by_name[rev.name] = rev
  if rev.name == DEFAULT_REVISION then default_index = i end
end
-- The default revision's fields (and docs) first.
local order = { REVISIONS[default_index] }
for i, rev in ipairs(REVISIONS) do
  if i ~= default_index then order[#order + 1] = rev end
end
for _, rev in ipairs(order) do
  rev.by_name = {}
  for _, t in ipairs(rev.types) do
    rev.by_name[t.name] = t
    if t.kind == "struct" then
      for _, f in ipairs(t.fields) do
        f.pf = declare("syncframe." .. t.key .. "." .. f.name, f.type.ft, f.name, f.doc)
      end
    else
      t.by_tag = {}
      for _, v in ipairs(t.variants) do
        t.by_tag[v.name] = v
        for _, f in ipairs(v.fields or {}) do
          f.pf = declare("syncframe." .. t.key .. "." .. v.key .. "." .. f.name,
            f.type.ft, f.name, f.doc)
        end
      end
    end
  end
end
proto.fields = fields

local E = {
  short = ProtoExpert.new("syncframe.expert.short", "Frame shorter than its header",
    expert.group.MALFORMED, expert.severity.ERROR),
  bad_version = ProtoExpert.new("syncframe.expert.bad_version", "Unknown frame format version",
    expert.group.MALFORMED, expert.severity.ERROR),
  unknown_type = ProtoExpert.new("syncframe.expert.unknown_type",
    "Type byte is not a message type of this revision", expert.group.MALFORMED, expert.severity.ERROR),
  truncated = ProtoExpert.new("syncframe.expert.truncated", "Frame shorter than its length field says",
    expert.group.MALFORMED, expert.severity.ERROR),
  trailing = ProtoExpert.new("syncframe.expert.trailing", "Bytes after the frame in the same message",
    expert.group.PROTOCOL, expert.severity.WARN),
  bad_crc = ProtoExpert.new("syncframe.expert.bad_crc", "CRC-32C does not match the body",
    expert.group.CHECKSUM, expert.severity.ERROR),
  bad_body = ProtoExpert.new("syncframe.expert.bad_body", "Body does not match the message's schema",
    expert.group.MALFORMED, expert.severity.ERROR),
  body_trailing = ProtoExpert.new("syncframe.expert.body_trailing", "Bytes after the body's value",
    expert.group.PROTOCOL, expert.severity.WARN),
  internal = ProtoExpert.new("syncframe.expert.internal", "Dissector error",
    expert.group.MALFORMED, expert.severity.ERROR),
}
proto.experts = { E.short, E.bad_version, E.unknown_type, E.truncated, E.trailing, E.bad_crc,
  E.bad_body, E.body_trailing, E.internal }

local AUTO = 0
local revision_enum = {}
for i, rev in ipairs(REVISIONS) do revision_enum[i] = { rev.name, rev.name, i } end
revision_enum[#revision_enum + 1] = { "auto", "auto", AUTO }
proto.prefs.revision = Pref.enum("Wire revision", default_index,
  "The revision whose framing and body schema frames are read with; auto: per message, " ..
  "the newest revision whose header (and CRC-32C) fits", revision_enum, false)
proto.prefs.port = Pref.uint("WebSocket port", DEFAULT_PORT,
  "TCP port of WebSocket sessions carrying sync frames (0: heuristic only)")
`;

/** Framing, the dissector, the heuristic and the port registration. */
const LUA_FRAMING = String.raw`
---------------------------------------------------------------------------
-- Framing.

-- How well a message fits a revision's framing: "short", "bad_version",
-- "unknown_type", "truncated", or "fits" (with exact = no trailing bytes and,
-- when check_crc, crc_ok = the CRC matches, or true when the revision has none).
local function fit(tvb, rev, check_crc)
  local h = rev.header
  local len = tvb:len()
  if len < h.size then return { status = "short" } end
  if h.version_at ~= nil and tvb(h.version_at, 1):uint() ~= h.version then
    return { status = "bad_version" }
  end
  if rev.messages[tvb(h.type_at, 1):uint()] == nil then return { status = "unknown_type" } end
  local length = tvb(h.length_at, 4):le_uint()
  if h.size + length > len then return { status = "truncated" } end
  local crc_ok = true
  if check_crc and h.crc_at ~= nil then
    crc_ok = crc32c(tvb, h.size, length) == tvb(h.crc_at, 4):le_uint()
  end
  return { status = "fits", exact = h.size + length == len, crc_ok = crc_ok }
end

-- The revision to read a message with: the preference, or (auto) the newest
-- revision it fits exactly with a good CRC, else the newest it fits exactly.
local function choose(tvb)
  local pref = proto.prefs.revision
  if pref ~= AUTO and REVISIONS[pref] ~= nil then return REVISIONS[pref] end
  local fallback
  for i = #REVISIONS, 1, -1 do
    local r = fit(tvb, REVISIONS[i], true)
    if r.status == "fits" and r.exact then
      if r.crc_ok then return REVISIONS[i] end
      fallback = fallback or REVISIONS[i]
    end
  end
  return fallback or REVISIONS[default_index]
end

local function dissect_frame(tvb, pinfo, root)
  local rev = choose(tvb)
  local h = rev.header
  local len = tvb:len()
  root:add(hf.revision, rev.name):set_generated()
  local problems = {}
  local function report(item, ex, fmt, ...)
    local text = string.format(fmt, ...)
    item:add_proto_expert_info(ex, text)
    problems[#problems + 1] = text
  end
  local function summary(name)
    local info = name
    if #problems > 0 then info = info .. " [" .. table.concat(problems, "; ") .. "]" end
    pinfo.cols.info:append(" " .. info)
    root:append_text(", " .. info)
  end
  if len < h.size then
    report(root, E.short, "%d byte(s); a frame header of revision %s is %d bytes", len, rev.name, h.size)
    return summary("short frame")
  end
  if h.version_at ~= nil then
    local v = tvb(h.version_at, 1):uint()
    local item = root:add(hf.version, tvb(h.version_at, 1))
    if v ~= h.version then
      report(item, E.bad_version, "version %d; frames of revision %s have version %d", v, rev.name, h.version)
      return summary("bad version")
    end
  end
  local code = tvb(h.type_at, 1):uint()
  local type_item = root:add(hf.type, tvb(h.type_at, 1))
  local message = rev.messages[code]
  if message == nil then
    report(type_item, E.unknown_type, "0x%02x is not a message type of revision %s", code, rev.name)
    return summary(string.format("unknown type 0x%02x", code))
  end
  local length = tvb(h.length_at, 4):le_uint()
  local length_item = root:add_le(hf.length, tvb(h.length_at, 4))
  if h.size + length > len then
    report(length_item, E.truncated, "length %d, but %d body byte(s) follow", length, len - h.size)
    return summary(message.name)
  end
  if h.crc_at ~= nil then
    local stored = tvb(h.crc_at, 4):le_uint()
    local computed = crc32c(tvb, h.size, length)
    local crc_item = root:add_le(hf.crc, tvb(h.crc_at, 4))
    root:add(hf.crc_computed, tvb(h.crc_at, 4), computed):set_generated()
    root:add(hf.crc_ok, tvb(h.crc_at, 4), stored == computed):set_generated()
    if stored ~= computed then
      report(crc_item, E.bad_crc, "CRC-32C 0x%08x stored, 0x%08x computed over the %d-byte body",
        stored, computed, length)
    end
  end
  local body = root:add(hf.body, length > 0 and tvb(h.size, length) or tvb(0, h.size))
  body:set_text(string.format("Body: %s (%d bytes)", message.body, length))
  local c = { tvb = tvb, base = h.size, stop = h.size + length, rev = rev, depth = 0, nest = 0,
    path = { message.body } }
  local ok, result = pcall(read_struct, c, rev.by_name[message.body], h.size, body)
  if not ok then
    if type(result) == "table" then
      report(body, E.bad_body, "%s at body offset %d: %s", result.path, result.offset - h.size, result.msg)
    else
      report(body, E.internal, "%s", tostring(result))
    end
  elseif result < c.stop then
    report(body, E.body_trailing, "%d byte(s) after the body's value", c.stop - result)
  end
  if h.size + length < len then
    local extra = root:add(hf.trailing, tvb(h.size + length, len - h.size - length))
    report(extra, E.trailing, "%d byte(s) after the frame", len - h.size - length)
  end
  return summary(message.name)
end

local function dissect(tvb, pinfo, tree)
  pinfo.cols.protocol:set("SyncFrame")
  local root = tree:add(proto, tvb())
  local ok, err = pcall(dissect_frame, tvb, pinfo, root)
  if not ok then root:add_proto_expert_info(E.internal, tostring(err)) end
  return tvb:len()
end

function proto.dissector(tvb, pinfo, tree)
  local ok, result = pcall(dissect, tvb, pinfo, tree)
  if ok then return result end
  return 0
end

-- A WebSocket message is taken when it is exactly one frame of the selected
-- revision (any revision, for auto): header, known type, length = the rest.
local function heuristic(tvb, pinfo, tree)
  local ok, taken = pcall(function()
    local pref = proto.prefs.revision
    for i, rev in ipairs(REVISIONS) do
      if pref == AUTO or pref == i then
        local r = fit(tvb, rev, false)
        if r.status == "fits" and r.exact then return true end
      end
    end
    return false
  end)
  if not (ok and taken) then return false end
  proto.dissector(tvb, pinfo, tree)
  return true
end
proto:register_heuristic("ws", heuristic)

local ws_port = DissectorTable.get("ws.port")
local registered_port = 0
local function apply_port()
  local port = proto.prefs.port
  if ws_port == nil or port == registered_port then return end
  if registered_port ~= 0 then ws_port:remove(registered_port, proto) end
  if port ~= 0 then ws_port:add(port, proto) end
  registered_port = port
end
function proto.prefs_changed()
  apply_port()
end
apply_port()
`;

/** Everything after the schema tables. */
export const LUA_RUNTIME: string = [
  LUA_PROTOCOL,
  LUA_VALUES,
  LUA_CONTAINERS,
  LUA_FRAMING,
].join("");
