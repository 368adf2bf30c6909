import * as net from 'net';
import { AddressInfo } from 'net';
import { createS3Client, inspectModel, parseS3Uri } from '../lib/s3';
import { cliProcess as cli, FaultServer, faultServer, listingXml, makeModel, s3, timed, useS3Server, xml } from './setup/s3-cli';

// the faulty endpoints' tests wait out deadlines: in a file of their own, they run beside the other S3 tests. Each
// command runs in a process of its own (their CPU is small beside the waits): the bounds are judged on a process that
// has nothing else to do, and Node's socket and TLS errors reach the AWS SDK from its own realm, as a user's do
useS3Server();

// the redirect tests follow a redirect to a complete model on the real server
beforeAll(async () => {
  const r = await cli(['upload', makeModel(), 's3://models/mistral/', '--endpoint', s3.endpoint]);
  if (r.code !== 0) throw new Error(`the model for the redirect tests could not be uploaded: ${r.out}`);
});

describe('hostile and broken endpoints: bounded in time and memory, and named', () => {
  const faults: FaultServer[] = [];
  const servers: net.Server[] = [];
  afterAll(async () => {
    await Promise.all(faults.map((f) => f.close()));
    for (const s of servers) s.close();
  });
  const start = async (handler: Parameters<typeof faultServer>[0]) => {
    const f = await faultServer(handler);
    faults.push(f);
    return f;
  };

  test('an endpoint that trickles one byte every 2 s (headers or body) fails verify, inspect and upload at the 20 s deadline with default options', async () => {
    // seconds each connection was held open by the client, measured by the servers: a loaded machine's slow CLI start
    // does not count against the deadline
    const held: number[] = [];
    // headers: a raw socket that writes the status line one byte at a time
    const headers = net.createServer((socket) => {
      const arrived = Date.now();
      const reply = 'HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n\r\n';
      let i = 0;
      const t = setInterval(() => i < reply.length && socket.write(reply[i++]), 2000);
      socket.on('error', () => undefined);
      socket.on('close', () => (clearInterval(t), held.push((Date.now() - arrived) / 1000)));
    });
    servers.push(headers);
    await new Promise<void>((resolve) => headers.listen(0, '127.0.0.1', resolve));
    const headersEndpoint = `http://127.0.0.1:${(headers.address() as AddressInfo).port}`;
    const body = await start((_req, res) => {
      const arrived = Date.now();
      res.writeHead(200, { 'content-type': 'application/xml' });
      const t = setInterval(() => res.write('<'), 2000);
      res.on('close', () => (clearInterval(t), held.push((Date.now() - arrived) / 1000)));
    });
    const dir = makeModel(1);
    const runs = await Promise.all(
      [headersEndpoint, body.endpoint].flatMap((endpoint) => [
        timed(cli(['verify', 's3://models/m/', '--endpoint', endpoint])),
        timed(cli(['inspect', 's3://models/m/', '--endpoint', endpoint])),
        timed(cli(['upload', dir, 's3://models/m/', '--endpoint', endpoint])),
      ]),
    );
    for (const [i, r] of runs.entries()) {
      const endpoint = i < 3 ? headersEndpoint : body.endpoint;
      expect({ i, code: r.code }).toEqual({ i, code: 1 });
      expect(r.out).toContain(endpoint);
      expect(r.out).toMatch(
        i < 3
          ? /sent no complete answer \(status line and headers\) within 20 s, the deadline of one request/
          : /answered HTTP 200 but sent only \d+ bytes of the body within 20 s/,
      );
    }
    // every connection, one or more per run, let go within the 20 s deadline and some slack (waiting a moment for the
    // last close to land)
    for (let i = 0; i < 50 && held.length < runs.length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(held.length).toBeGreaterThanOrEqual(runs.length);
    expect(Math.max(...held)).toBeLessThan(30);
  }, 240_000);

  test('--deadline is an option, checked as a number, and shortens the bound', async () => {
    // held open: seconds from the request's arrival to the client hanging up, measured by the server so that a loaded
    // machine's slow CLI start does not count against the deadline
    const held: number[] = [];
    const body = await start((_req, res) => {
      const arrived = Date.now();
      res.writeHead(200, { 'content-type': 'application/xml' });
      const t = setInterval(() => res.write(' '), 500);
      res.on('close', () => (clearInterval(t), held.push((Date.now() - arrived) / 1000)));
    });
    const r = await timed(cli(['verify', 's3://models/m/', '--endpoint', body.endpoint, '--deadline', '2']));
    expect(r.code).toBe(1);
    expect(held.length).toBeGreaterThan(0);
    expect(Math.max(...held)).toBeLessThan(6);
    expect(r.out).toMatch(/within 2 s, the deadline of one request \(--deadline\)/);
    expect((await cli(['verify', 's3://models/m/', '--deadline', 'soon'])).out).toMatch(/--deadline must be a number/);
  });

  test('the deadline and the size cap hold while an object is read, after a good listing', async () => {
    const files = [
      { key: 'm/config.json', size: 1_000_000 },
      { key: 'm/tokenizer.json', size: 2 },
    ];
    const held: number[] = [];
    const trickle = await start((req, res) => {
      if (req.url?.includes('list-type=2')) return xml(res, 200, listingXml(files));
      const arrived = Date.now();
      res.writeHead(200, { 'content-type': 'application/json' });
      const t = setInterval(() => res.write(' '), 300);
      res.on('close', () => (clearInterval(t), held.push((Date.now() - arrived) / 1000)));
    });
    const slow = await timed(cli(['inspect', 's3://models/m/', '--endpoint', trickle.endpoint, '--deadline', '2']));
    expect(slow.code).toBe(1);
    // the object read held open past the listing, measured by the server (see above)
    expect(held.length).toBeGreaterThan(0);
    expect(Math.max(...held)).toBeLessThan(6);
    expect(slow.out).toMatch(
      /reading s3:\/\/models\/m\/config\.json: http:\/\/127\.0\.0\.1:\d+ answered HTTP 200 but sent only \d+ bytes of the body within 2 s/,
    );

    const big = await start((req, res) => {
      if (req.url?.includes('list-type=2')) return xml(res, 200, listingXml(files));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"pad": "${'x'.repeat(1_000_000)}"}`);
    });
    const client = createS3Client({ endpoint: big.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxResponseBytes: 64 * 1024 });
    await expect(inspectModel(client, parseS3Uri('s3://models/m/'), big.endpoint)).rejects.toThrow(
      new RegExp(`reading s3://models/m/config.json: .*${big.endpoint} sent more than 64 KiB for one object; the answer was not read further`),
    );
    client.destroy();
  });

  test('a listing that repeats its continuation token, gives none, or never ends is an error naming it', async () => {
    let n = 0;
    const same = await start((_req, res) => xml(res, 200, listingXml([], { truncated: true, token: 'same' })));
    const none = await start((_req, res) => xml(res, 200, listingXml([{ key: 'm/config.json', size: 10 }], { truncated: true })));
    const endless = await start((_req, res) => xml(res, 200, listingXml([], { truncated: true, token: `t${n++}` })));
    const [a, b, c] = await Promise.all([same, none, endless].map((f) => timed(cli(['verify', 's3://models/m/', '--endpoint', f.endpoint]))));
    expect(a.out).toContain(`listing s3://models/m/: ${same.endpoint} sent continuation token 'same' a second time (page 2): its listing loops`);
    expect(b.out).toContain(`${none.endpoint} says page 1 is truncated but gives no continuation token`);
    expect(c.out).toContain(`${endless.endpoint} still says 'truncated' after 1000 pages (0 objects), more than any model holds`);
    expect(n).toBe(1000);
    for (const r of [a, b, c]) expect(r.code).toBe(1);
  }, 240_000);

  test('redirects: another host is named with its location; the same resource over another port is followed and noted; loops and long chains end', async () => {
    const elsewhere = await start((req, res) => {
      res.writeHead(301, { location: `https://s3.eu-west-1.example.com${req.url}`, 'x-amz-bucket-region': 'eu-west-1' });
      res.end();
    });
    const r = await cli(['verify', 's3://models/m/', '--endpoint', elsewhere.endpoint]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /redirected \(HTTP 301 Moved Permanently\) to https:\/\/s3\.eu-west-1\.example\.com\/models\/\?list-type=2&prefix=m%2F \(the bucket is in region eu-west-1: pass --region eu-west-1\)/,
    );
    expect(r.out).not.toMatch(/UnknownError/);

    // 307 to the real server, same host, path and query: the signed request stays valid there
    const proxy = await start((req, res) => {
      res.writeHead(307, { location: `${s3.endpoint}${req.url}` });
      res.end();
    });
    const followed = await cli(['verify', 's3://models/mistral/', '--endpoint', proxy.endpoint]);
    expect(followed.out).toMatch(/^complete {4}s3:\/\/models\/mistral\//m);
    expect(followed.out).toContain(`note: ${proxy.endpoint} redirects (HTTP 307) to ${s3.endpoint}; pass --endpoint ${s3.endpoint} to skip the redirect`);
    expect(followed.code).toBe(0);

    // S3's own answer to a bucket in another region carries no Location, only the region
    const region = await start((_req, res) => {
      res.writeHead(301, { 'x-amz-bucket-region': 'eu-west-1', 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0"?><Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message></Error>',
      );
    });
    expect((await cli(['verify', 's3://models/m/', '--endpoint', region.endpoint])).out).toContain(
      `${region.endpoint} answered HTTP 301 Moved Permanently without a Location to go to (the bucket is in region eu-west-1: pass --region eu-west-1)`,
    );

    // an upload is never sent twice, even to the same resource
    const putRedirect = await start((req, res) => {
      if (req.method === 'GET') return xml(res, 200, listingXml([]));
      res.writeHead(307, { location: `${s3.endpoint}${req.url}` });
      res.end();
    });
    const put = await cli(['upload', makeModel(1), 's3://models/m/', '--endpoint', putRedirect.endpoint, '--concurrency', '1']);
    expect(put.code).toBe(1);
    expect(put.out).toMatch(/redirected \(HTTP 307 Temporary Redirect\) to http:\/\/127\.0\.0\.1:\d+\/models\/m\/config\.json.*; an upload is not sent twice/);

    const loop = await start((req, res) => {
      res.writeHead(302, { location: req.url });
      res.end();
    });
    expect((await cli(['verify', 's3://models/m/', '--endpoint', loop.endpoint])).out).toMatch(
      /redirects in a loop \(HTTP 302 Found\): http:\/\/127\.0\.0\.1:\d+\/models\/\?list-type=2&prefix=m%2F → http/,
    );

    // a chain of 12 servers, each sending the same request to the next port
    const chain: FaultServer[] = [];
    for (let i = 0; i < 12; i++) {
      chain.push(
        await start((req, res) => {
          res.writeHead(308, { location: `${chain[(i + 1) % chain.length].endpoint}${req.url}` });
          res.end();
        }),
      );
    }
    const long = await cli(['verify', 's3://models/m/', '--endpoint', chain[0].endpoint]);
    expect(long.code).toBe(1);
    expect(long.out).toMatch(/redirected more than 10 times \(HTTP 308 Permanent Redirect\)/);
  }, 240_000);

  test('what the server sent is named: an HTML page, an S3 error code, a non-S3 error body, a reset connection', async () => {
    const console_ = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><head><title>MinIO Console</title></head><body></body></html>');
    });
    const code = await start((_req, res) =>
      xml(res, 403, '<?xml version="1.0"?><Error><Code>AccountProblem</Code><Message>The account is suspended.</Message></Error>'),
    );
    const gateway = await start((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('upstream connect error or disconnect/reset before headers\nretried and the latest reset reason: connection failure');
    });
    const reset = await start((req) => req.socket.destroy());
    const [html, xmlCode, plain, rst, inspectHtml] = await Promise.all([
      cli(['verify', 's3://models/m/', '--endpoint', console_.endpoint]),
      cli(['verify', 's3://models/m/', '--endpoint', code.endpoint]),
      cli(['verify', 's3://models/m/', '--endpoint', gateway.endpoint, '--max-attempts', '1']),
      cli(['verify', 's3://models/m/', '--endpoint', reset.endpoint]),
      cli(['inspect', 's3://models/m/', '--endpoint', console_.endpoint]),
    ]);
    for (const r of [html, inspectHtml]) {
      expect(r.out).toContain(`the endpoint ${console_.endpoint} answered with an HTML page, not S3 (is it the console URL?): HTTP 200, page 'MinIO Console'`);
      expect(r.out).not.toMatch(/nothing (was uploaded|is stored)/);
    }
    expect(xmlCode.out).toMatch(/AccountProblem: The account is suspended\./);
    expect(plain.out).toContain(
      `${gateway.endpoint} answered HTTP 502 Bad Gateway, not an S3 error document: 'upstream connect error or disconnect/reset before headers'`,
    );
    expect(rst.out).toMatch(/reset the connection \(ECONNRESET/);
    expect(rst.out).not.toMatch(/in time|timeout|timed out/i);
    for (const r of [html, xmlCode, plain, rst, inspectHtml]) expect(r.code).toBe(1);
  }, 240_000);

  test('a 400 MB error body is read only up to its cap: the client hangs up after kilobytes', async () => {
    const huge = await start((_req, res, self) => {
      res.writeHead(400, { 'content-type': 'application/xml' });
      res.write('<?xml version="1.0"?><Error><Code>InvalidArgument</Code><Message>');
      const chunk = Buffer.alloc(1 << 20, 'a');
      const pump = () => {
        while (self.sent < 400 * 2 ** 20 && !res.destroyed) {
          self.sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('</Message></Error>');
      };
      pump();
    });
    const r = await timed(cli(['verify', 's3://models/m/', '--endpoint', huge.endpoint]));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/answered HTTP 400 \(InvalidArgument\) with an error document over 64 KiB, which no S3 server sends; not read further/);
    // what was written before the client closed: socket buffers, not the 400 MB (bytes, not seconds: a loaded machine
    // stretches the CLI's start, not what it reads)
    expect(huge.sent).toBeLessThan(64 * 2 ** 20);
  });
});
