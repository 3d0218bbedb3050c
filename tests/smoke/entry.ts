// The bundle entry for the Node and browser smoke suites: everything an npm or
// browser user would import (the core, streams and the WebSocket client), in
// one ES module.
export * from "../../transport/websocket.ts";
export {
  FrameCursor,
  FrameDecoder,
  FrameDecoderStream,
  FrameEncoderStream,
} from "../../transport/stream.ts";
