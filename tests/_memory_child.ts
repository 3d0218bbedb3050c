// A child process for the hostile-peer tests: a frame server or client
// whose memory is sampled while an attacker works on it, so that a blow-up
// fails a test instead of killing the test runner. Prints JSON lines.
//
//   server <maxBodySize|default> <ws|deno>   prints {"port"}; on the stdin
//                                            line "report" prints the report
//   client <url> <maxBodySize|default>       connects, reads until the
//                                            connection fails, prints the report

import {
  connectFrameSocket,
  type FrameSocketCloseInfo,
  frameSocketHandler,
  serveFrameSockets,
} from "../transport/websocket.ts";

const [mode, ...args] = Deno.args;

const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const baseline = Deno.memoryUsage();
let peakRss = baseline.rss;
let peakHeap = baseline.heapUsed + baseline.external;
const sampler = setInterval(() => {
  const now = Deno.memoryUsage();
  peakRss = Math.max(peakRss, now.rss);
  peakHeap = Math.max(peakHeap, now.heapUsed + now.external);
}, 2);

function print(value: unknown): void {
  console.log(JSON.stringify(value));
}

function report(extra: Record<string, unknown>): void {
  const MiB = 1024 * 1024;
  print({
    rssGrowthMiB: (peakRss - baseline.rss) / MiB,
    heapGrowthMiB: (peakHeap - baseline.heapUsed - baseline.external) / MiB,
    baselineRssMiB: baseline.rss / MiB,
    ...extra,
  });
}

function summary(info: FrameSocketCloseInfo) {
  return { code: info.code, error: info.error?.code };
}

const maxBodySizeArg = (text: string | undefined) =>
  text === undefined || text === "default" ? undefined : Number(text);

if (mode === "server") {
  const maxBodySize = maxBodySizeArg(args[0]);
  const closes: ReturnType<typeof summary>[] = [];
  const onSocket = (socket: { closed: Promise<FrameSocketCloseInfo> }) => {
    socket.closed.then((info) => closes.push(summary(info)));
  };
  let port: number;
  let stop: () => Promise<void>;
  if (args[1] === "deno") {
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      frameSocketHandler(onSocket, { maxBodySize, closeTimeout: 2000 }),
    );
    port = server.addr.port;
    stop = () => server.shutdown();
  } else {
    const server = await serveFrameSockets(
      { maxBodySize, closeTimeout: 2000 },
      onSocket,
    );
    port = server.port;
    stop = () => server.close();
  }
  print({ port });
  const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
  let text = "";
  for await (const chunk of lines) {
    text += chunk;
    if (text.includes("report")) break;
  }
  // Let the close handshakes finish.
  for (let i = 0; i < 400 && closes.length === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  clearInterval(sampler);
  report({ closes });
  await stop();
  Deno.exit(0);
} else if (mode === "client") {
  const client = await connectFrameSocket(args[0], {
    maxBodySize: maxBodySizeArg(args[1]),
    closeTimeout: 2000,
  });
  const error = await client.receive().then(() => undefined, (e) => e.code);
  const info = await client.closed;
  clearInterval(sampler);
  report({ error, close: summary(info) });
  Deno.exit(0);
} else {
  throw new Error(`unknown mode ${mode}`);
}
