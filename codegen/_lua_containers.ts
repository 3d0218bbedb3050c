/**
 * Lua of the Wireshark dissector (see `_lua_runtime.ts`): the readers of
 * container kinds — list, map, option, tuple, struct, enum (in the
 * revision's unit-variant form) and generic MessagePack values.
 *
 * @module
 */

/** The container readers (`R.list` … `R.any`). */
export const LUA_CONTAINERS = String.raw`
local function more_items(c, parent, o, shown, n)
  if parent ~= nil and n > shown then
    parent:add(hf.more, c.tvb(o, 1)):set_text(string.format("… %d more not shown", n - shown))
  end
end

function R.list(c, t, o, parent, label, pf)
  local start = o
  local hdr, n = expect(c, o, "array", "a list (array)")
  local item = add(c, parent, pf or G.none, o, hdr)
  local text = string.format("%d item%s", n, n == 1 and "" or "s")
  label_item(item, label, text)
  local sub = descend(c, item)
  o = o + hdr
  for i = 0, n - 1 do
    push(c, "[" .. i .. "]")
    o = read(c, t.item, o, i < MAX_SHOWN and sub or nil, "[" .. i .. "]", nil)
    pop(c)
  end
  c.nest = c.nest - 1
  more_items(c, sub, start, MAX_SHOWN, n)
  finish(item, start, o)
  return o, "[" .. text .. "]"
end

function R.map(c, t, o, parent, label, pf)
  local start = o
  local hdr, n = expect(c, o, "map", "a map")
  local item = add(c, parent, pf or G.none, o, hdr)
  local text = string.format("%d entr%s", n, n == 1 and "y" or "ies")
  label_item(item, label, text)
  local sub = descend(c, item)
  o = o + hdr
  for i = 0, n - 1 do
    local from = o
    local entry = i < MAX_SHOWN and add(c, sub, hf.entry, o, 1) or nil
    label_item(entry, "[" .. i .. "]", "…")
    push(c, ".<key>")
    local key_text, value_text
    o, key_text = read(c, t.key, o, entry, "key", nil)
    pop(c)
    push(c, "[" .. key_text .. "]")
    o, value_text = read(c, t.value, o, entry, "value", nil)
    pop(c)
    if entry ~= nil then
      entry:set_text(key_text .. ": " .. value_text)
      finish(entry, from, o)
    end
  end
  c.nest = c.nest - 1
  more_items(c, sub, start, MAX_SHOWN, n)
  finish(item, start, o)
  return o, "{" .. text .. "}"
end

function R.option(c, t, o, parent, label, pf)
  local f = head(c, o)
  if f == "nil" then
    label_item(add(c, parent, hf.none, o, 1), label, "None")
    return o + 1, "None"
  end
  return read(c, t.item, o, parent, label, pf)
end

function R.tuple(c, t, o, parent, label, pf)
  local start = o
  local hdr, n = expect(c, o, "array", "a tuple (array)")
  if n ~= #t.items then
    fail(c, o, "expected a %d-tuple, got an array of %d", #t.items, n)
  end
  local item = add(c, parent, pf or G.none, o, hdr)
  label_item(item, label, string.format("(%d items)", n))
  local sub = descend(c, item)
  o = o + hdr
  local texts = {}
  for i, it in ipairs(t.items) do
    push(c, "[" .. (i - 1) .. "]")
    o, texts[i] = read(c, it, o, sub, "[" .. (i - 1) .. "]", nil)
    pop(c)
  end
  c.nest = c.nest - 1
  local text = "(" .. table.concat(texts, ", ") .. ")"
  if #text > 160 then text = string.format("(%d items)", n) end
  label_item(item, label, text)
  finish(item, start, o)
  return o, text
end

-- Reads the fields of a struct into sub (which may be nil).
local function read_fields(c, fields, o, sub)
  for _, f in ipairs(fields) do
    push(c, "." .. f.name)
    o = read(c, f.type, o, sub, f.name, f.pf)
    pop(c)
  end
  return o
end

local function read_struct(c, st, o, item)
  enter(c, o, st.name)
  local hdr, n = expect(c, o, "array", "a " .. #st.fields .. "-field array (" .. st.name .. ")")
  if n ~= #st.fields then
    fail(c, o, "%s has %d fields, got an array of %d", st.name, #st.fields, n)
  end
  local sub = descend(c, item)
  o = read_fields(c, st.fields, o + hdr, sub)
  c.nest = c.nest - 1
  c.depth = c.depth - 1
  return o
end

function R.struct(c, t, o, parent, label, pf)
  local start = o
  local st = c.rev.by_name[t.name]
  local item = add(c, parent, pf or G.none, o, 1)
  label_item(item, label, t.name)
  o = read_struct(c, st, o, item)
  finish(item, start, o)
  return o, t.name
end

function R.enum(c, t, o, parent, label, pf)
  local start = o
  local e = c.rev.by_name[t.name]
  enter(c, o, t.name)
  local f, hdr, n, m = head(c, o)
  local tag, variant, size
  local bare = c.rev.unit_variants == "bare_string"
  if f == "str" and bare then
    tag, size = read_str(c, o)
    variant = e.by_tag[tag]
    if variant == nil then fail(c, o, "%s has no variant %s", t.name, quoted(tag)) end
    if variant.fields ~= nil then
      fail(c, o, "data variant %s::%s written as a bare tag (it needs [tag, [fields]])", t.name, tag)
    end
    o = o + size
  elseif f == "array" then
    if n ~= 2 then fail(c, o, "expected an enum [tag, payload] (2 items), got an array of %d", n) end
    o = o + hdr
    tag, size = read_str(c, o)
    variant = e.by_tag[tag]
    if variant == nil then fail(c, o, "%s has no variant %s", t.name, quoted(tag)) end
    o = o + size
    if variant.fields == nil then
      if bare then
        fail(c, start, "unit variant %s::%s written as [tag, …]; at revision %s a unit variant is " ..
          "its bare tag string ([tag, nil] is zerompk <= 0.6.0's form)", t.name, tag, c.rev.name)
      end
      local f2, _, _, m2 = head(c, o)
      if f2 ~= "nil" then
        fail(c, o, "unit variant %s::%s needs nil as its payload, got %s", t.name, tag, marker(f2, m2))
      end
      o = o + 1
    end
  elseif f == "str" then
    fail(c, o, "expected an enum [tag, payload], got a bare tag string (zerompk >= 0.6.1's unit " ..
      "form, not revision %s's)", c.rev.name)
  else
    fail(c, o, "expected an enum (%s), got %s", bare and "a bare tag string or [tag, [fields]]"
      or "[tag, payload]", marker(f, m))
  end
  local item = add(c, parent, pf or G.string, start, 1, tag)
  label_item(item, label, tag)
  if variant.fields ~= nil then
    local hdr2, n2 = expect(c, o, "array", "the fields of " .. t.name .. "::" .. tag)
    if n2 ~= #variant.fields then
      fail(c, o, "%s::%s has %d fields, got an array of %d", t.name, tag, #variant.fields, n2)
    end
    push(c, "." .. tag)
    local sub = descend(c, item)
    o = read_fields(c, variant.fields, o + hdr2, sub)
    c.nest = c.nest - 1
    pop(c)
  end
  c.depth = c.depth - 1
  finish(item, start, o)
  return o, tag
end

-- One generic MessagePack value (msgpack fields).
local function read_any(c, o, parent, label, pf)
  local start = o
  local f, hdr, n, m = head(c, o)
  if f == "uint" then
    local v, size = uint_value(c, o, n, m)
    label_item(add(c, parent, G.uint64, o, size, v), label, tostring(v))
    return o + size, tostring(v)
  elseif f == "int" then
    local v, size = int_value(c, o, f, n, m)
    label_item(add(c, parent, G.int64, o, size, v), label, tostring(v))
    return o + size, tostring(v)
  elseif f == "nil" then
    label_item(add(c, parent, hf.none, o, 1), label, "nil")
    return o + 1, "nil"
  elseif f == "bool" then
    label_item(add(c, parent, G.bool, o, 1, m == 0xc3), label, tostring(m == 0xc3))
    return o + 1, tostring(m == 0xc3)
  elseif f == "f32" or f == "f64" then
    need(c, o + 1, n, "a float")
    local v = c.tvb(o + 1, n):float()
    local text = string.format(f == "f32" and "%.9g" or "%.17g", v)
    label_item(add(c, parent, G.double, o, 1 + n, v), label, text)
    return o + 1 + n, text
  elseif f == "str" then
    local s, size = read_str(c, o)
    label_item(add(c, parent, G.string, o, size, s), label, quoted(s))
    return o + size, quoted(s)
  elseif f == "bin" or f == "ext" then
    need(c, o + hdr, n, f)
    -- An ext value is shown as its type byte and data.
    local from = f == "ext" and o + hdr - 1 or o + hdr
    local len = f == "ext" and n + 1 or n
    local raw = len > 0 and c.tvb:raw(from, len) or ""
    local text = (f == "ext" and "ext " or "") .. hex_text(raw)
    label_item(add_bytes(c, parent, G.bytes, o, hdr + n, raw), label, text)
    return o + hdr + n, text
  elseif f == "array" or f == "map" then
    enter(c, o, "a generic value")
    local item = add(c, parent, pf or G.none, o, hdr)
    local text = f == "array" and string.format("[%d item%s]", n, n == 1 and "" or "s")
      or string.format("{%d entr%s}", n, n == 1 and "y" or "ies")
    label_item(item, label, text)
    local sub = descend(c, item)
    o = o + hdr
    for i = 0, n - 1 do
      local shown = i < MAX_SHOWN and sub or nil
      if f == "array" then
        push(c, "[" .. i .. "]")
        o = read_any(c, o, shown, "[" .. i .. "]", nil)
        pop(c)
      else
        local from = o
        local entry = add(c, shown, hf.entry, o, 1)
        label_item(entry, "[" .. i .. "]", "…")
        local kt, vt
        push(c, ".<key>")
        o, kt = read_any(c, o, entry, "key", nil)
        pop(c)
        push(c, "[" .. kt .. "]")
        o, vt = read_any(c, o, entry, "value", nil)
        pop(c)
        if entry ~= nil then
          entry:set_text(kt .. ": " .. vt)
          finish(entry, from, o)
        end
      end
    end
    c.nest = c.nest - 1
    c.depth = c.depth - 1
    more_items(c, sub, start, MAX_SHOWN, n)
    finish(item, start, o)
    return o, text
  end
  fail(c, o, "0x%02x is not a MessagePack value", m)
end

function R.any(c, _, o, parent, label, pf)
  return read_any(c, o, parent, label, pf)
end
`;
