// The bundle entry for the Node and browser smoke suites: everything an npm or
// browser user would import (the core, streams and the WebSocket client and
// server), in one ES module. `ws` is imported lazily, on Deno and Node only:
// a browser bundle holds only its stub.
export * from "../../mod.ts";
export * from "../../transport/websocket.ts";
export {
  FrameCursor,
  FrameDecoder,
  FrameDecoderStream,
  FrameEncoderStream,
} from "../../transport/stream.ts";
