/**
 * Limits and constants shared by every revision, defined once.
 *
 * @module
 */

/**
 * Default limit on a frame's body length: 64 MiB, the Rust peer's own
 * WebSocket message cap (tungstenite's default).
 */
export const DEFAULT_MAX_BODY_SIZE: number = 64 * 1024 * 1024;

/** The largest body length the u32 length field can express. */
export const MAX_BODY_LENGTH: number = 0xffff_ffff;

/**
 * Most nested structs or enums the typed reader follows, as zerompk's
 * `MAX_DEPTH`. Only recursive types can nest without a bound fixed by the
 * schema.
 */
export const MAX_STRUCT_DEPTH = 500;
