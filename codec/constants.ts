/**
 * Limits and constants shared by every revision, defined once.
 *
 * @module
 */

/**
 * Default limit on a frame's body length: 16 MiB.
 *
 * Why 16 MiB: the Rust peers' WebSocket library (tungstenite) accepts
 * messages up to 64 MiB but single WebSocket frames only up to 16 MiB, and
 * its writer sends each message as one frame, so nothing over 16 MiB passes
 * between two Rust peers. With the decoding budget (16 × body + 64 MiB) a
 * 16 MiB body can hold at most 320 MiB of decoded values, where 64 MiB would
 * allow 1.1 GiB per frame. tokio-util's length-delimited codec defaults to
 * 8 MiB and gRPC to 4 MiB; raise it per connection where bodies really are
 * larger.
 */
export const DEFAULT_MAX_BODY_SIZE: number = 16 * 1024 * 1024;

/** The largest body length the u32 length field can express. */
export const MAX_BODY_LENGTH: number = 0xffff_ffff;

/**
 * Most nested structs or enums the typed reader follows, as zerompk's
 * `MAX_DEPTH`. Only recursive types can nest without a bound fixed by the
 * schema.
 */
export const MAX_STRUCT_DEPTH = 500;
