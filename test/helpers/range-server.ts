/**
 * A loopback HTTP server for remote-raster tests: serves files from memory on 127.0.0.1 (random port), honours
 * Range unless told not to, and records every request (path, Range, Authorization) and the body bytes it sent.
 * `behave` can change the answer of any request (a 503, a redirect, a short body, ...).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  readonly path: string;
  readonly range?: string;
  readonly auth?: string;
}

/** Return true when the request has been answered (the default handler is then skipped). */
export type Behaviour = (req: IncomingMessage, res: ServerResponse, file: Buffer | undefined, n: number) => boolean;

export interface RangeServer {
  readonly base: string;
  readonly seen: SeenRequest[];
  /** Body bytes sent (the file bytes; headers not counted). */
  bytesSent: number;
  behave: Behaviour | null;
  /** false: answer every GET with 200 and the whole file (a server without range support). */
  ranges: boolean;
  reset(): void;
  close(): Promise<void>;
}

export async function startRangeServer(files: Record<string, Buffer>): Promise<RangeServer> {
  let server: Server;
  const state: RangeServer = {
    base: '',
    seen: [],
    bytesSent: 0,
    behave: null,
    ranges: true,
    reset() {
      state.seen.length = 0;
      state.bytesSent = 0;
      state.behave = null;
      state.ranges = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    state.seen.push({ path, range: req.headers.range, auth: req.headers.authorization });
    const file = files[path];
    if (state.behave?.(req, res, file, state.seen.length)) return;
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (!state.ranges || !m) {
      res.writeHead(200, { 'content-length': file.length, 'content-type': 'image/tiff', etag: '"v1"' });
      state.bytesSent += file.length;
      res.end(file);
      return;
    }
    const a = Number(m[1]);
    const b = Math.min(m[2] === '' ? file.length - 1 : Number(m[2]), file.length - 1);
    if (a >= file.length) {
      res.writeHead(416, { 'content-range': `bytes */${file.length}` }).end();
      return;
    }
    const body = file.subarray(a, b + 1);
    res.writeHead(206, { 'content-range': `bytes ${a}-${b}/${file.length}`, 'content-length': body.length, 'content-type': 'image/tiff', etag: '"v1"' });
    state.bytesSent += body.length;
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (state as { base: string }).base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
