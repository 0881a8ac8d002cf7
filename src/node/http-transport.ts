/**
 * Node-only HTTP(S) transport for onion requests (spec/onion.md §2.6) and seed-node bootstrap
 * (§5.1).
 *
 * TLS policy, deliberately narrow:
 * - Service nodes serve self-signed certificates no CA vouches for. Requests to them use an
 *   `https.Agent` owned by this transport instance with `rejectUnauthorized: false`; nothing
 *   global (`NODE_TLS_REJECT_UNAUTHORIZED`, `https.globalAgent`) is touched. Authenticity comes
 *   from the onion layer: the request is encrypted to the node's X25519 key from the directory,
 *   and a node without the matching secret can neither read it nor forge the encrypted answer.
 * - Seed nodes are reached with full verification against their pinned certificate (exact
 *   SHA-256 fingerprint and host name), because the directory they return is trusted alone.
 * @module
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import { SessionSdkError } from '../errors.js';
import type { ServiceNode, RandomSource } from '../onion/snode-pool.js';
import { withRetries, type OnionTransport, type TransportRequestOptions, type TransportResponse } from '../onion/transport.js';
import { deepFreeze } from '../util/freeze.js';

/**
 * A pinned seed certificate: PEM (used as the only trust anchor) and its SHA-256 fingerprint.
 *
 * @example
 * ```ts
 * import { createNodeHttpTransport, MAINNET_SEED_PINS, type SeedPin } from 'session-sdk/node';
 * const pin: SeedPin = { pem: myCaPem, fingerprint256: 'AB:CD:…' }; // a private test network's seed
 * const transport = createNodeHttpTransport({ seedPins: { ...MAINNET_SEED_PINS, 'seed.test.local': pin } });
 * ```
 */
export interface SeedPin {
  /** The certificate in PEM form; it becomes the only trust anchor for that host. */
  readonly pem: string;
  /** `AA:BB:…` upper-case colon-separated SHA-256 of the DER certificate (Node's `fingerprint256`). */
  readonly fingerprint256: string;
}

// Public certificates of the mainnet seeds, as pinned by session-desktop
// (ts/session/apis/seed_node_api/SeedNodeAPI.ts, spec/onion.md §5.1). Valid until 2033.
const SEED1_PEM = `-----BEGIN CERTIFICATE-----
MIIEDTCCAvWgAwIBAgIUWk96HLAovn4uFSI057KhnMxqosowDQYJKoZIhvcNAQEL
BQAwejELMAkGA1UEBhMCQVUxETAPBgNVBAgMCFZpY3RvcmlhMRIwEAYDVQQHDAlN
ZWxib3VybmUxJTAjBgNVBAoMHE94ZW4gUHJpdmFjeSBUZWNoIEZvdW5kYXRpb24x
HTAbBgNVBAMMFHNlZWQxLmdldHNlc3Npb24ub3JnMB4XDTIzMDQwNTAxMjQzNVoX
DTMzMDQwNTAxMjQzNVowejELMAkGA1UEBhMCQVUxETAPBgNVBAgMCFZpY3Rvcmlh
MRIwEAYDVQQHDAlNZWxib3VybmUxJTAjBgNVBAoMHE94ZW4gUHJpdmFjeSBUZWNo
IEZvdW5kYXRpb24xHTAbBgNVBAMMFHNlZWQxLmdldHNlc3Npb24ub3JnMIIBIjAN
BgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2wlGkR2aDOHoizik4mqvWEwDPOQG
o/Afd/6VqKzo4BpNerVZQNgdMgdLTedZE4FRfetubonYu6iSYALK2iKoGsIlru1u
Q9dUl0abA9v+yg6duh1aHw8oS16JPL0zdq8QevJaTxd0MeDnx4eXfFjtv8L0xO4r
CRFH+H6ATcJy+zhVBcWLjiNPe6mGSHM4trx3hwJY6OuuWX5FkO0tMqj9aKJtJ+l0
NArra0BZ9MaMwAFE7AxWwyD0jWIcSvwK06eap+6jBcZIr+cr7fPO5mAlT+CoGB68
yUFwh1wglcVdNPoa1mbFQssCsCRa3MWgpzbMq+KregVzjVEtilwLFjx7FQIDAQAB
o4GKMIGHMB0GA1UdDgQWBBQ1XAjGKhyIU22mYdUEIlzlktogNzAfBgNVHSMEGDAW
gBQ1XAjGKhyIU22mYdUEIlzlktogNzAPBgNVHRMBAf8EBTADAQH/MB8GA1UdEQQY
MBaCFHNlZWQxLmdldHNlc3Npb24ub3JnMBMGA1UdJQQMMAoGCCsGAQUFBwMBMA0G
CSqGSIb3DQEBCwUAA4IBAQC4PRiu4LyxK71Gk+f3dDvjinuE9F0XtAamKfRlLMEo
KxK8dtLrT8p62rME7QiigSv15AmSNyqAp751N/j0th1prOnxBoG38BXKLBDDClri
u91MR4h034G6LIYCiM99ldc8Q5a5WCKu9/9z6CtVxZcNlfe477d6lKHSwb3mQ581
1Ui3RnpkkU1n4XULI+TW2n/Hb8gN6IyTHFB9y2jb4kdg7N7PZIN8FS3n3XGiup9r
b/Rujkuy7rFW78Q1BuHWrQPbJ3RU2CKh1j5o6mtcJFRqP1PfqWmbuaomam48s5hU
4JEiR9tyxP+ewl/bToFcet+5Lp9wRLxn0afm/3V00WyP
-----END CERTIFICATE-----
`;
const SEED2_PEM = `-----BEGIN CERTIFICATE-----
MIIEDTCCAvWgAwIBAgIUXkVaUNO/G727mNeaiso9MjvBEm4wDQYJKoZIhvcNAQEL
BQAwejELMAkGA1UEBhMCQVUxETAPBgNVBAgMCFZpY3RvcmlhMRIwEAYDVQQHDAlN
ZWxib3VybmUxJTAjBgNVBAoMHE94ZW4gUHJpdmFjeSBUZWNoIEZvdW5kYXRpb24x
HTAbBgNVBAMMFHNlZWQyLmdldHNlc3Npb24ub3JnMB4XDTIzMDQwNTAxMjI0MloX
DTMzMDQwNTAxMjI0MlowejELMAkGA1UEBhMCQVUxETAPBgNVBAgMCFZpY3Rvcmlh
MRIwEAYDVQQHDAlNZWxib3VybmUxJTAjBgNVBAoMHE94ZW4gUHJpdmFjeSBUZWNo
IEZvdW5kYXRpb24xHTAbBgNVBAMMFHNlZWQyLmdldHNlc3Npb24ub3JnMIIBIjAN
BgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvT493tt1EWdyIa++X59ffrQt+ghK
+3Hv/guCPmR0FxPUeVnayoLbeKgbe8dduThh7nlmlYnpwbulvDnMF/rRpX51AZiT
A8UGktBzGXi17/D/X71EXGqlM41QZfVm5MCdQcghvbwO8MP0nWmbV4DdiNYAwSNh
fpGMEiblCvKtGN71clTkOW+8Moq4eOxT9tKIlOv97uvkUS21NgmSzsj453hrb6oj
XR3rtW264zn99+Gv83rDE1jk0qfDjxCkaUb0BvRDREc+1q3p8GZ6euEFBM3AcXe7
Yl0qbJgIXd5I+W5nMJJCyJHPTxQNvS+uJqL4kLvdwQRFAkwEM+t9GCH1PQIDAQAB
o4GKMIGHMB0GA1UdDgQWBBQOdqxllTHj+fmGjmdgIXBl+k0PRDAfBgNVHSMEGDAW
gBQOdqxllTHj+fmGjmdgIXBl+k0PRDAPBgNVHRMBAf8EBTADAQH/MB8GA1UdEQQY
MBaCFHNlZWQyLmdldHNlc3Npb24ub3JnMBMGA1UdJQQMMAoGCCsGAQUFBwMBMA0G
CSqGSIb3DQEBCwUAA4IBAQBkmmX+mopdnhzQC5b5rgbU7wVhlDaG7eJCRgUvqkYm
Pbv6XFfvtshykhw2BjSyQetofJaBh5KOR7g0MGRSn3AqRPBeEpXfkBI9urhqFwBF
F5atmp1rTCeHuAS6w4mL6rmj7wHl2CRSom7czRdUCNM+Tu1iK6xOrtOLwQ1H1ps1
KK3siJb3W0eKykHnheQPn77RulVBNLz1yedEUTVkkuVhzSUj5yc8tiwrcagwWX6m
BlfVCJgsBbrJ754rg0AJ0k59wriRamimcUIBvKIo3g3UhJHDI8bt4+SvsRYkSmbi
rzVthAlJjSlRA28X/OLnknWcgEdkGhu0F1tkBtVjIQXd
-----END CERTIFICATE-----
`;
const SEED3_PEM = `-----BEGIN CERTIFICATE-----
MIIEDTCCAvWgAwIBAgIUTz5rHKUe+VA9IM6vY6QACc0ORFkwDQYJKoZIhvcNAQEL
BQAwejELMAkGA1UEBhMCQVUxETAPBgNVBAgMCFZpY3RvcmlhMRIwEAYDVQQHDAlN
ZWxib3VybmUxJTAjBgNVBAoMHE94ZW4gUHJpdmFjeSBUZWNoIEZvdW5kYXRpb24x
HTAbBgNVBAMMFHNlZWQzLmdldHNlc3Npb24ub3JnMB4XDTIzMDQwNTAxMjYzMVoX
DTMzMDQwNTAxMjYzMVowejELMAkGA1UEBhMCQVUxETAPBgNVBAgMCFZpY3Rvcmlh
MRIwEAYDVQQHDAlNZWxib3VybmUxJTAjBgNVBAoMHE94ZW4gUHJpdmFjeSBUZWNo
IEZvdW5kYXRpb24xHTAbBgNVBAMMFHNlZWQzLmdldHNlc3Npb24ub3JnMIIBIjAN
BgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA6FgxIk9KmYISL5fk7BLaGAW6lBx8
b4VL3DjlyrFMz7ZhSbcUcavWyyYB+iJxBRhfQGJ7vbwJZ1AwVJisjDFdiLcWzTF8
gzZ7LVXH8qlVnqcx0gksrWYFnG3Y2WJrxEBFdD29lP7LVN3xLQdplMitOciqg5jN
oRjtwGo+wzaMW6WNPzgTvxLzPce9Rl3oN4tSK7qlA9VtsyHwOWBMcogv9LC9IUFZ
2yu0RdcxPdlwLwywYtSRt/W87KbAWTcYY1DfN2VA68p9Cip7/dPOokRduMh1peux
swmIybpC/wz/Ql6J6scSOjDUp/2UsIdYIvyP/Dibi4nHRmD+oz9kb+J3AQIDAQAB
o4GKMIGHMB0GA1UdDgQWBBSQAFetDPIzVg9rfgOI7bfaeEHd8TAfBgNVHSMEGDAW
gBSQAFetDPIzVg9rfgOI7bfaeEHd8TAPBgNVHRMBAf8EBTADAQH/MB8GA1UdEQQY
MBaCFHNlZWQzLmdldHNlc3Npb24ub3JnMBMGA1UdJQQMMAoGCCsGAQUFBwMBMA0G
CSqGSIb3DQEBCwUAA4IBAQCiBNdbKNSHyCZJKvC/V+pHy9E/igwvih2GQ5bNZJFA
daOiKBgaADxaxB4lhtzasr2LdgZdLrn0oONw+wYaui9Z12Yfdr9oWuOgktn8HKLY
oKkJc5EcMYFsd00FnnFcO2U8lQoL6PB/tdcEmpOfqtvShpNhp8SbadSNiqlttvtV
1dqvqSBiRdQm1kz2b8hA6GR6SPzSKlSuwI0J+ZcXEi232EJFbgJ3ESHFVHrhUZro
8A16/WDvZOMWCjOqJsFBw15WzosW9kyNwBtZinXVO3LW/7tVl08PDcarpH4IWjd0
LDpU7zGjcD/A19tfdfMFTOmETuq40I8xxtlR2NENFOAL
-----END CERTIFICATE-----
`;

/**
 * Pinned certificates of the mainnet seed nodes, by host name.
 *
 * @example
 * ```ts
 * import { MAINNET_SEED_PINS } from 'session-sdk/node';
 * MAINNET_SEED_PINS['seed1.getsession.org']!.fingerprint256; // '36:EA:0B:…'
 * ```
 */
export const MAINNET_SEED_PINS: Readonly<Record<string, SeedPin>> = /* @__PURE__ */ deepFreeze({
  'seed1.getsession.org': {
    pem: SEED1_PEM,
    fingerprint256: '36:EA:0B:25:35:37:98:85:51:EE:85:6E:4F:D2:0D:55:01:1E:9C:8B:27:EA:A2:F3:4B:8F:32:A0:BD:F0:4F:2D',
  },
  'seed2.getsession.org': {
    pem: SEED2_PEM,
    fingerprint256: 'C5:90:8D:D4:13:9A:CD:96:AE:DD:1E:45:57:65:97:65:08:09:C8:A5:EA:02:AF:55:6D:48:53:D4:53:96:E0:E7',
  },
  'seed3.getsession.org': {
    pem: SEED3_PEM,
    fingerprint256: '8A:0A:F2:C7:12:34:2F:22:CE:00:E5:3C:16:01:41:0E:F8:D8:41:56:AE:E0:A9:80:9C:32:F6:F7:EF:BE:55:6E',
  },
});

/**
 * Where to actually connect for a node: lets tests map a node's public IP to a local port.
 *
 * @example
 * ```ts
 * import { createNodeHttpTransport, type NodeAddress } from 'session-sdk/node';
 * const resolve = (n: ServiceNode): NodeAddress => ({ protocol: 'http', host: '127.0.0.1', port: localPorts.get(n.ed25519Hex)! });
 * const transport = createNodeHttpTransport({ resolve }); // local test network
 * ```
 */
export interface NodeAddress {
  /** `https` for real nodes; `http` only for local test networks. */
  readonly protocol: 'http' | 'https';
  /** Host name or IP address to connect to. */
  readonly host: string;
  /** TCP port to connect to. */
  readonly port: number;
}

/**
 * Options of {@link createNodeHttpTransport}.
 *
 * @example
 * ```ts
 * import { createNodeHttpTransport, type NodeHttpTransportOptions } from 'session-sdk/node';
 * const opts: NodeHttpTransportOptions = { timeoutMs: 8000, retries: 1, maxResponseBytes: 4 << 20 };
 * const transport = createNodeHttpTransport(opts);
 * ```
 */
export interface NodeHttpTransportOptions {
  /** Per-attempt deadline. Default 10 000 ms (desktop's guard timeout). */
  timeoutMs?: number;
  /** Extra attempts when no HTTP answer arrived at all. Default 2. */
  retries?: number;
  /** Back-off base / cap (ms). Defaults 200 / 5000 (libsession). */
  backoffBaseMs?: number;
  /** Back-off cap in ms. Default 5000. */
  backoffMaxMs?: number;
  /** Largest response body accepted. Default 16 MiB. */
  maxResponseBytes?: number;
  /** Maps a node to the address to connect to. Default `https://<ip>:<port>`. */
  resolve?: (node: ServiceNode) => NodeAddress;
  /** Pinned seed certificates by host name. Default {@link MAINNET_SEED_PINS}. */
  seedPins?: Readonly<Record<string, SeedPin>>;
  /** Jitter source for back-off; default `crypto.getRandomValues`. */
  random?: RandomSource;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

/** Normalises Node's `fingerprint256` formatting for comparison. */
const normFp = (s: string): string => s.replace(/:/g, '').toUpperCase();

/**
 * The standard transport for Node: HTTPS to guards (self-signed certificates accepted by this
 * transport's own agent only, see the module note), pinned TLS to seeds, plain HTTP where
 * `resolve` says so (local test networks), timeouts, and retries with back-off when no HTTP
 * answer arrived.
 *
 * @example
 * ```ts
 * import { createNodeHttpTransport } from 'session-sdk/node';
 * const transport = createNodeHttpTransport({ timeoutMs: 8000 });
 * ```
 */
export function createNodeHttpTransport(opts: NodeHttpTransportOptions = {}): OnionTransport {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxBytes = opts.maxResponseBytes ?? 16 * 1024 * 1024;
  const pins = opts.seedPins ?? MAINNET_SEED_PINS;
  const resolve = opts.resolve ?? ((n: ServiceNode): NodeAddress => ({ protocol: 'https', host: n.ip, port: n.port }));
  // Scoped to this transport: the only place self-signed node certificates are accepted.
  const nodeAgent = new https.Agent({ rejectUnauthorized: false, keepAlive: true, maxSockets: 8 });
  const plainAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const retry = <T>(fn: () => Promise<T>): Promise<T> =>
    withRetries(fn, {
      retries: opts.retries ?? 2,
      ...(opts.backoffBaseMs !== undefined ? { baseMs: opts.backoffBaseMs } : {}),
      ...(opts.backoffMaxMs !== undefined ? { maxMs: opts.backoffMaxMs } : {}),
      ...(opts.random ? { random: opts.random } : {}),
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
    });

  const post = (url: URL, body: Uint8Array, extra: https.RequestOptions, ro: TransportRequestOptions): Promise<TransportResponse> =>
    new Promise<TransportResponse>((resolvePromise, reject) => {
      const t = ro.timeoutMs ?? timeoutMs;
      const lib = url.protocol === 'http:' ? http : https;
      let settled = false;
      const fail = (e: SessionSdkError): void => {
        if (settled) return;
        settled = true;
        reject(e);
      };
      const req = lib.request(
        url,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length) },
          ...extra,
        },
        (res) => {
          const chunks: Uint8Array[] = [];
          let size = 0;
          res.on('data', (c: Uint8Array) => {
            size += c.length;
            if (size > maxBytes) {
              req.destroy();
              fail(new SessionSdkError('TOO_LARGE', `response larger than ${maxBytes} bytes`));
              return;
            }
            chunks.push(c);
          });
          res.on('end', () => {
            if (settled) return;
            settled = true;
            const out = new Uint8Array(size);
            let o = 0;
            for (const c of chunks) {
              out.set(c, o);
              o += c.length;
            }
            resolvePromise({ status: res.statusCode ?? 0, body: out });
          });
          res.on('error', (e) => fail(new SessionSdkError('TRANSPORT_ERROR', 'connection lost while reading the answer', { cause: e })));
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        fail(new SessionSdkError('TIMEOUT', `no answer from ${url.host} within ${t} ms`));
      }, t);
      req.on('close', () => clearTimeout(timer));
      req.on('error', (e) => fail(new SessionSdkError('TRANSPORT_ERROR', `cannot reach ${url.host}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { cause: e })));
      if (ro.signal) {
        if (ro.signal.aborted) req.destroy();
        ro.signal.addEventListener('abort', () => {
          req.destroy();
          fail(new SessionSdkError('TIMEOUT', 'request aborted'));
        }, { once: true });
      }
      req.end(body);
    });

  return {
    sendOnionRequest(guard, wire, ro = {}) {
      const a = resolve(guard);
      const url = new URL(`${a.protocol}://${a.host}:${a.port}/onion_req/v2`);
      const agent = a.protocol === 'http' ? plainAgent : nodeAgent;
      return retry(() => post(url, wire, { agent }, ro));
    },
    seedRequest(seed, body, ro = {}) {
      let url: URL;
      try {
        url = new URL('json_rpc', seed.url.endsWith('/') ? seed.url : seed.url + '/');
      } catch {
        return Promise.reject(new SessionSdkError('INVALID_INPUT', 'seed URL is not a valid URL'));
      }
      const pin = pins[url.hostname];
      let extra: https.RequestOptions = { agent: false };
      if (url.protocol === 'https:' && pin) {
        extra = {
          agent: false,
          ca: pin.pem,
          rejectUnauthorized: true,
          checkServerIdentity: (host, cert) => {
            const err = tls.checkServerIdentity(host, cert);
            if (err) return err;
            if (normFp(cert.fingerprint256) !== normFp(pin.fingerprint256)) {
              return new Error(`certificate of ${host} does not match the pinned fingerprint`);
            }
            return undefined;
          },
        };
      }
      return retry(() => post(url, body, extra, ro));
    },
    close() {
      nodeAgent.destroy();
      plainAgent.destroy();
    },
  };
}
