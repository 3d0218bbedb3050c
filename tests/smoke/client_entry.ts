// The bundle entry of the browser SyncClient smoke: `@sync/frame/client` as a
// browser user would import it (the WebSocket layer runs on the platform
// WebSocket there; `ws` is only ever loaded on Deno and Node), in one ES
// module for tests/smoke/client_page.js.
export {
  FrameError,
  MemoryEpochStore,
  MemoryOutboxStore,
  SyncClient,
  SyncError,
} from "../../entries/client.ts";
