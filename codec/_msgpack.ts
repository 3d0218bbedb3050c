// A bounded MessagePack reader and a strict writer for generic (schema-less) bodies.
//
// Why not @msgpack/msgpack at run time: 3.1.3 can be driven to unbounded allocation by
// untrusted input (chains of `dc ff ff`), decodes short invalid UTF-8 leniently, and its
// encoder silently writes bigints >= 2^64 modulo 2^64 and `Map`s as empty maps. Peers are
// untrusted and strict, so both directions are implemented here with explicit limits.
// @msgpack/msgpack stays as the cross-check oracle in tests and the baseline in benches.

//
// The reader is in _msgpack_read.ts, the writer in _msgpack_write.ts.

export {
  decodeMsgpack,
  decodeUtf8,
  MAX_DEPTH,
  readMsgpackValue,
} from "./_msgpack_read.ts";
export {
  encodeMsgpack,
  MsgpackWriter,
  writeGeneric,
} from "./_msgpack_write.ts";
