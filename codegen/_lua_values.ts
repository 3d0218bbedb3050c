/**
 * Lua of the Wireshark dissector (see `_lua_runtime.ts`): the MessagePack
 * reader's helpers and the readers of scalar kinds. Every reader returns the
 * offset after its value and a short text of it, adds the value to the tree
 * (unless it is read only), and raises `{ offset, path, msg }` on a value
 * that does not match the schema.
 *
 * @module
 */

/** Reader helpers and the scalar readers (`R.uint` … `R.u8list`). */
export const LUA_VALUES = String.raw`
---------------------------------------------------------------------------
-- MessagePack reading, driven by the schema. Every read returns the offset
-- after the value and a short text of it; a value that does not match the
-- schema raises { offset, path, msg }, caught by the dissector.

local MAX_SHOWN = 256 -- items of one list or map shown; the rest are read only
local MAX_NEST = 24 -- tree levels of one body shown; deeper values are read only
local WIDTHS = { 1, 2, 4, 8 }

local function fail(c, o, fmt, ...)
  local path = table.concat(c.path)
  if #path > 120 then
    local tail, i = "", #c.path
    while i > 1 and #tail + #c.path[i] <= 100 do
      tail = c.path[i] .. tail
      i = i - 1
    end
    path = c.path[1] .. "…" .. tail
  end
  error({ offset = o, path = path, msg = string.format(fmt, ...) }, 0)
end

local function need(c, o, n, what)
  if o + n > c.stop then
    fail(c, o, "%s needs %d byte(s) at body offset %d, but the body ends %d byte(s) later",
      what, n, o - c.base, c.stop - o)
  end
end

local function be(c, o, n)
  need(c, o, n, "a length")
  return c.tvb(o, n):uint()
end

-- family, header size, argument (payload width for numbers, else a count), marker
local function head(c, o)
  need(c, o, 1, "a value")
  local m = c.tvb(o, 1):uint()
  if m <= 0x7f then return "uint", 1, 0, m end
  if m >= 0xe0 then return "int", 1, 0, m end
  if m <= 0x8f then return "map", 1, m - 0x80, m end
  if m <= 0x9f then return "array", 1, m - 0x90, m end
  if m <= 0xbf then return "str", 1, m - 0xa0, m end
  if m == 0xc0 then return "nil", 1, 0, m end
  if m == 0xc2 or m == 0xc3 then return "bool", 1, 0, m end
  if m == 0xc4 then return "bin", 2, be(c, o + 1, 1), m end
  if m == 0xc5 then return "bin", 3, be(c, o + 1, 2), m end
  if m == 0xc6 then return "bin", 5, be(c, o + 1, 4), m end
  if m == 0xc7 then return "ext", 3, be(c, o + 1, 1), m end
  if m == 0xc8 then return "ext", 4, be(c, o + 1, 2), m end
  if m == 0xc9 then return "ext", 6, be(c, o + 1, 4), m end
  if m == 0xca then return "f32", 1, 4, m end
  if m == 0xcb then return "f64", 1, 8, m end
  if m >= 0xcc and m <= 0xcf then return "uint", 1, WIDTHS[m - 0xcb], m end
  if m >= 0xd0 and m <= 0xd3 then return "int", 1, WIDTHS[m - 0xcf], m end
  if m >= 0xd4 and m <= 0xd8 then return "ext", 2, ({ 1, 2, 4, 8, 16 })[m - 0xd3], m end
  if m == 0xd9 then return "str", 2, be(c, o + 1, 1), m end
  if m == 0xda then return "str", 3, be(c, o + 1, 2), m end
  if m == 0xdb then return "str", 5, be(c, o + 1, 4), m end
  if m == 0xdc then return "array", 3, be(c, o + 1, 2), m end
  if m == 0xdd then return "array", 5, be(c, o + 1, 4), m end
  if m == 0xde then return "map", 3, be(c, o + 1, 2), m end
  if m == 0xdf then return "map", 5, be(c, o + 1, 4), m end
  return "reserved", 1, 0, m
end

local function marker(family, m)
  return string.format("%s (0x%02x)", family, m)
end

local function uint_value(c, o, width, m)
  if width == 0 then return UInt64.new(m), 1 end
  need(c, o + 1, width, "an integer")
  if width == 8 then return c.tvb(o + 1, 8):uint64(), 9 end
  return UInt64.new(c.tvb(o + 1, width):uint()), 1 + width
end

local function int_value(c, o, family, width, m)
  if width == 0 then
    if family == "uint" then return Int64.new(m), 1 end
    return Int64.new(m - 256), 1
  end
  need(c, o + 1, width, "an integer")
  if width == 8 then return c.tvb(o + 1, 8):int64(), 9 end
  return Int64.new(c.tvb(o + 1, width):int()), 1 + width
end

local UTF8_MASK = { 32, 16, 8 }
local function valid_utf8(s)
  local i, n = 1, #s
  while i <= n do
    local b = s:byte(i)
    if b < 0x80 then
      i = i + 1
    else
      local more, min
      if b >= 0xc2 and b <= 0xdf then more, min = 1, 0x80
      elseif b >= 0xe0 and b <= 0xef then more, min = 2, 0x800
      elseif b >= 0xf0 and b <= 0xf4 then more, min = 3, 0x10000
      else return false end
      if i + more > n then return false end
      local cp = b % UTF8_MASK[more]
      for j = 1, more do
        local x = s:byte(i + j)
        if x < 0x80 or x > 0xbf then return false end
        cp = cp * 64 + (x - 0x80)
      end
      if cp < min or cp > 0x10ffff or (cp >= 0xd800 and cp <= 0xdfff) then return false end
      i = i + more + 1
    end
  end
  return true
end

local function quoted(s)
  local shown, cut = s, #s
  if cut > 120 then
    -- Cut before a character, never inside one.
    cut = 120
    while cut > 1 and s:byte(cut + 1) >= 0x80 and s:byte(cut + 1) < 0xc0 do cut = cut - 1 end
    shown = s:sub(1, cut)
  end
  shown = shown:gsub('[%c"\\]', function(ch) return string.format("\\x%02x", ch:byte()) end)
  return '"' .. shown .. '"' .. (cut < #s and "…" or "")
end

local function hex_text(raw)
  local n = #raw
  if n == 0 then return "(0 bytes)" end
  local shown = raw:sub(1, 32):gsub(".", function(ch) return string.format("%02x", ch:byte()) end)
  return string.format("%s%s (%d bytes)", shown, n > 32 and "…" or "", n)
end

local function add(c, parent, pf, o, n, value)
  if parent == nil then return nil end
  if value == nil then return parent:add(pf, c.tvb(o, n)) end
  return parent:add(pf, c.tvb(o, n), value)
end

-- A bytes item with the value raw (a Lua string) over the value's size bytes
-- at o. Wireshark copies as many bytes from raw as the item's range is long,
-- so the item starts with #raw bytes and is then widened (set_len never
-- lengthens a bytes value).
local function add_bytes(c, parent, pf, o, size, raw)
  if parent == nil then return nil end
  local item = parent:add(pf, c.tvb(o, #raw), raw)
  item:set_len(size)
  return item
end

local function label_item(item, label, text)
  if item ~= nil then item:set_text(label .. ": " .. text) end
end

local function finish(item, from, to)
  if item ~= nil then item:set_len(to - from) end
end

-- The parent for children of a container item: nil (read only) past MAX_NEST.
local function descend(c, item)
  c.nest = c.nest + 1
  if item ~= nil and c.nest > MAX_NEST then
    item:append_text(" [nested too deep to show]")
    return nil
  end
  return item
end

local function enter(c, o, what)
  c.depth = c.depth + 1
  if c.depth > c.rev.max_depth then
    fail(c, o, "%s nested deeper than %d values (the peer's limit)", what, c.rev.max_depth)
  end
end

local R = {}

local function read(c, t, o, parent, label, pf)
  return R[t.k](c, t, o, parent, label, pf)
end

local function push(c, seg) c.path[#c.path + 1] = seg end
local function pop(c) c.path[#c.path] = nil end

-- Reads a header that must be of one family; returns header size and count.
local function expect(c, o, family, what)
  local f, hdr, n, m = head(c, o)
  if f ~= family then fail(c, o, "expected %s, got %s", what, marker(f, m)) end
  return hdr, n
end

function R.uint(c, t, o, parent, label, pf)
  local f, _, width, m = head(c, o)
  if f ~= "uint" then
    fail(c, o, "expected an unsigned integer (%s), got %s", t.name, marker(f, m))
  end
  if width > t.width then
    fail(c, o, "a %d-byte uint does not fit %s", width, t.name)
  end
  local v, size = uint_value(c, o, width, m)
  local text = tostring(v)
  label_item(add(c, parent, pf or G.uint64, o, size, v), label, text)
  return o + size, text
end

function R.int(c, t, o, parent, label, pf)
  local f, _, width, m = head(c, o)
  if not (f == "int" or (f == "uint" and width == 0)) then
    fail(c, o, "expected a signed integer (%s: fixint or d0-d3), got %s", t.name, marker(f, m))
  end
  local v, size = int_value(c, o, f, width, m)
  local text = tostring(v)
  label_item(add(c, parent, pf or G.int64, o, size, v), label, text)
  return o + size, text
end

function R.f32(c, _, o, parent, label, pf)
  local f, _, _, m = head(c, o)
  if f ~= "f32" then fail(c, o, "expected a float32 (0xca), got %s", marker(f, m)) end
  need(c, o + 1, 4, "a float32")
  local v = c.tvb(o + 1, 4):float()
  local text = string.format("%.9g", v)
  label_item(add(c, parent, pf or G.float, o, 5, v), label, text)
  return o + 5, text
end

function R.bool(c, _, o, parent, label, pf)
  local f, _, _, m = head(c, o)
  if f ~= "bool" then fail(c, o, "expected a bool, got %s", marker(f, m)) end
  local v = m == 0xc3
  local text = tostring(v)
  label_item(add(c, parent, pf or G.bool, o, 1, v), label, text)
  return o + 1, text
end

local function read_str(c, o)
  local hdr, n = expect(c, o, "str", "a string")
  need(c, o + hdr, n, "a string")
  local s = n > 0 and c.tvb:raw(o + hdr, n) or ""
  if not valid_utf8(s) then fail(c, o, "the string is not valid UTF-8") end
  return s, hdr + n
end

function R.str(c, _, o, parent, label, pf)
  local s, size = read_str(c, o)
  local text = quoted(s)
  label_item(add(c, parent, pf or G.string, o, size, s), label, text)
  return o + size, text
end

function R.bin(c, _, o, parent, label, pf)
  local hdr, n = expect(c, o, "bin", "bytes (bin)")
  need(c, o + hdr, n, "bytes")
  local raw = n > 0 and c.tvb:raw(o + hdr, n) or ""
  local text = hex_text(raw)
  label_item(add_bytes(c, parent, pf or G.bytes, o, hdr + n, raw), label, text)
  return o + hdr + n, text
end

local function read_u8s(c, t, o, parent, label, pf, count)
  local start = o
  local hdr, n = expect(c, o, "array", "an array of u8")
  if count ~= nil and n ~= count then
    fail(c, o, "expected an array of exactly %d u8 (%s), got %d items", count, t.name, n)
  end
  o = o + hdr
  local bytes = {}
  for i = 1, n do
    local f, _, width, m = head(c, o)
    if f ~= "uint" or width > 1 then
      fail(c, o, "item %d of %s: expected a u8, got %s", i - 1, t.name, marker(f, m))
    end
    local v, size = uint_value(c, o, width, m)
    bytes[i] = string.char(v:tonumber())
    o = o + size
  end
  local raw = table.concat(bytes)
  local text = hex_text(raw)
  label_item(add_bytes(c, parent, pf or G.bytes, start, o - start, raw), label, text)
  return o, text
end

function R.fixed(c, t, o, parent, label, pf)
  return read_u8s(c, t, o, parent, label, pf, t.n)
end

function R.u8list(c, t, o, parent, label, pf)
  return read_u8s(c, t, o, parent, label, pf, nil)
end
`;
