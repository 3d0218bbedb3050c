// The static types of a FrameSocket per wire revision: which enum its
// message types come from, which of them each side sends, and the frame,
// message and body types of a message type. `generated/revisions.ts` maps a
// revision to its `SyncFrame` of every type; the sockets also need the
// frame of *one* type (`SyncFrame<T>`), which an indexed type cannot
// express, so the two revisions are switched on here. A new revision adds a
// row to `RevisionMessageTypes` (the check below fails to compile until it
// does).

import type * as r04 from "../generated/2026-04/mod.ts";
import type * as r07 from "../generated/2026-07/mod.ts";
import type { RevisionName } from "../generated/revisions.ts";

/**
 * Per revision: its `SyncMessageType` enum (`type`) and the message types a
 * client (`client`) and a server (`server`) may send.
 */
export interface RevisionMessageTypes {
  /** April 2026 (NodeDB ≤ 0.3). */
  "2026-04": {
    type: r04.SyncMessageType;
    client: r04.ClientMessageType;
    server: r04.ServerMessageType;
  };
  /** July 2026 (NodeDB ≥ 0.4.0). */
  "2026-07": {
    type: r07.SyncMessageType;
    client: r07.ClientMessageType;
    server: r07.ServerMessageType;
  };
}

// Every revision has a row, and nothing else does.
type Same<A, B> = [A] extends [B] ? [B] extends [A] ? true : false : false;
const everyRevisionTyped: Same<keyof RevisionMessageTypes, RevisionName> = true;
void everyRevisionTyped;

/** The `SyncMessageType` enum of revision `R`. */
export type MessageTypeOf<R extends RevisionName> =
  RevisionMessageTypes[R]["type"];

/** The message types a client may send in revision `R` (client → server and bidirectional). */
export type ClientMessageTypeOf<R extends RevisionName> =
  RevisionMessageTypes[R]["client"];

/** The message types a server may send in revision `R` (server → client and bidirectional). */
export type ServerMessageTypeOf<R extends RevisionName> =
  RevisionMessageTypes[R]["server"];

/** The `SyncFrame` of revision `R` restricted to the message types `T`. */
export type FrameOf<R extends RevisionName, T extends number> = R extends
  "2026-07" ? r07.SyncFrame<T & r07.SyncMessageType>
  : r04.SyncFrame<T & r04.SyncMessageType>;

/** The typed message union of revision `R` over the message types `T`. */
export type MessageOf<R extends RevisionName, T extends number> = R extends
  "2026-07" ? r07.SyncMessage<T & r07.SyncMessageType>
  : r04.SyncMessage<T & r04.SyncMessageType>;

/** The body type of message type `T` in revision `R`. */
export type BodyOf<R extends RevisionName, T extends number> = R extends
  "2026-07" ? r07.MessageBodies[T & r07.SyncMessageType]
  : r04.MessageBodies[T & r04.SyncMessageType];
