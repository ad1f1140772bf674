'use strict';
// The aliprefetch npm package: an idiomatic layer over the native addon (aliprefetch.node, built from
// bindings/node). It turns Dates into wire times and back, rebuilds the core's errors as classes, and wraps
// paging in an async iterator; every rule and all I/O live in the Rust core.

const util = require('node:util');

const native = loadNative();
// The core's lists of actions, batch methods and the result keys that hold times.
const DECLARED = native.declarations();

/**
 * The native addon: `ALIPREFETCH_NATIVE_PATH` if set, then a build in this folder (`npm run build` in a git
 * checkout), then the platform package (`@aliprefetch/<platform>-<arch>[-<libc>]`, an optional dependency).
 * Its version must be this package's. When nothing loads, the error says what was looked for.
 */
function loadNative() {
  const { version } = require('./package.json');
  const platform = platformPackage();
  const candidates = [];
  if (process.env.ALIPREFETCH_NATIVE_PATH) candidates.push(['ALIPREFETCH_NATIVE_PATH', process.env.ALIPREFETCH_NATIVE_PATH]);
  candidates.push(['a local build', './aliprefetch.node']);
  if (platform) candidates.push([`the package ${platform}`, platform]);
  const tried = [];
  for (const [what, where] of candidates) {
    let addon;
    try {
      addon = require(where);
    } catch (e) {
      if (e.code === 'MODULE_NOT_FOUND' && what !== 'ALIPREFETCH_NATIVE_PATH') {
        tried.push(`${what} (not installed)`);
        continue;
      }
      throw new Error(`aliprefetch: ${what} (${where}) does not load: ${e.message}`, { cause: e });
    }
    const found = typeof addon.version === 'function' ? addon.version() : undefined;
    if (found !== version) {
      throw new Error(`aliprefetch: ${what} (${where}) is version ${found}, but this package is ${version}; install matching versions`);
    }
    return addon;
  }
  throw new Error(
    `aliprefetch: no native addon for ${process.platform}-${process.arch}${platform ? '' : ' (no prebuilt package for this platform)'}; ` +
      `looked for ${tried.join(', ')}. Reinstall without --no-optional / --omit=optional so that npm installs ` +
      `${platform ?? 'the platform package'}, or build from source in a git checkout: \`cd node && npm run build\` ` +
      '(needs Rust), or point ALIPREFETCH_NATIVE_PATH at a built aliprefetch.node.',
  );
}

/** The name of the prebuilt package for this machine, or null where none is published. */
function platformPackage() {
  if (process.platform === 'linux' && process.arch === 'x64') {
    return isMusl() ? '@aliprefetch/linux-x64-musl' : '@aliprefetch/linux-x64-gnu';
  }
  if (process.platform === 'linux' && process.arch === 'arm64') {
    return isMusl() ? '@aliprefetch/linux-arm64-musl' : '@aliprefetch/linux-arm64-gnu';
  }
  if (process.platform === 'darwin') return `@aliprefetch/darwin-${process.arch}`;
  if (process.platform === 'win32' && process.arch === 'x64') return '@aliprefetch/win32-x64-msvc';
  return null;
}

/**
 * musl or glibc, as napi-rs decides it: `/usr/bin/ldd` names musl on musl systems (a file read, well under a
 * millisecond); where it cannot be read, Node's report, which names the glibc it runs on (about 5 ms to make).
 */
function isMusl() {
  try {
    return require('node:fs').readFileSync('/usr/bin/ldd', 'utf8').includes('musl');
  } catch {
    const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null;
    return Boolean(report?.header) && !report.header.glibcVersionRuntime;
  }
}

// ---------------------------------------------------------------------------------------------- errors

// The classes, one per kind of failure, generated from the core's declaration into errors.js.
const errors = require('./errors');

const { AliPrefetchError, InvalidInputError, CLASSES } = errors;
const MARKER = '\u0001aliprefetch:';

/** The native layer's structured error as its class; anything else unchanged. */
function rebuild(e) {
  let error;
  if (e && typeof e.message === 'string' && e.message.startsWith(MARKER)) {
    const details = JSON.parse(e.message.slice(MARKER.length));
    error = new (CLASSES[details.kind] ?? AliPrefetchError)(details.message, details);
  } else if (e && e.code === 'InvalidArg') {
    // An argument napi could not convert.
    error = new InvalidInputError(e.message, { kind: 'InvalidInput', rule: 'type' });
  } else if (e && e.code === 'GenericFailure') {
    // A panic caught at the boundary.
    error = new AliPrefetchError(`internal error in the native addon: ${e.message}`, { kind: 'Internal' });
  } else {
    return e;
  }
  Error.captureStackTrace?.(error, rebuild);
  return error;
}

function guard(fn) {
  try {
    return fn();
  } catch (e) {
    throw rebuild(e);
  }
}

async function guardAsync(fn) {
  try {
    return await fn();
  } catch (e) {
    throw rebuild(e);
  }
}

// ------------------------------------------------------------------------------------------ conversion

// Dates in arguments become the wire's time text in the addon (its bounded walk of JS values).

// The keys of a task that hold times: the core's list.
const TIMES = new Set(DECLARED.timeKeys);

/** A result with its times (the core's list of the keys that hold one) as Dates, at any depth. */
function withDates(value) {
  if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string' && TIMES.has(key)) value[key] = new Date(v);
      else withDates(v);
    }
  }
  return value;
}

// ----------------------------------------------------------------------------------------- credentials

const SECRETS = new WeakMap();

/** An access key, optionally with an STS token. Neither the secret nor the token is ever shown. */
class Credentials {
  constructor(accessKeyId, accessKeySecret, securityToken) {
    if (typeof accessKeyId !== 'string' || typeof accessKeySecret !== 'string') {
      throw new InvalidInputError('credentials: need an accessKeyId and an accessKeySecret (strings)', {
        kind: 'InvalidInput',
        field: 'credentials',
        rule: 'type',
      });
    }
    this.accessKeyId = accessKeyId;
    SECRETS.set(this, { accessKeySecret, securityToken: securityToken ?? null });
    Object.freeze(this);
  }

  get hasSecurityToken() {
    return SECRETS.get(this).securityToken !== null;
  }

  toJSON() {
    return { accessKeyId: this.accessKeyId, accessKeySecret: '<redacted>', securityToken: this.hasSecurityToken ? '<redacted>' : null };
  }

  [util.inspect.custom]() {
    return `Credentials { accessKeyId: '${this.accessKeyId}', accessKeySecret: <redacted>, securityToken: ${this.hasSecurityToken ? '<redacted>' : 'null'} }`;
  }
}

function nativeCredentials(credentials) {
  if (credentials === undefined || credentials === null) return undefined;
  if (credentials instanceof Credentials) {
    const { accessKeySecret, securityToken } = SECRETS.get(credentials);
    return { accessKeyId: credentials.accessKeyId, accessKeySecret, securityToken };
  }
  return credentials;
}

// -------------------------------------------------------------------------------------------- client

const REDACTED = new WeakMap();

/** A request signed for the wire (from `Client.presign`); inspecting or serializing it hides the signature and token. */
class SignedRequest {
  constructor({ request, redacted }) {
    this.method = request.method;
    this.url = request.url;
    this.headers = request.headers;
    // The core's redacted copy: what inspection and JSON show.
    REDACTED.set(this, redacted);
    Object.freeze(this);
  }

  toJSON() {
    return REDACTED.get(this);
  }

  [util.inspect.custom](depth, options, inspect) {
    return `SignedRequest ${inspect(this.toJSON(), options)}`;
  }
}

function progress(onProgress) {
  if (onProgress === undefined || onProgress === null) return undefined;
  if (typeof onProgress !== 'function') {
    throw new InvalidInputError('onProgress: must be a function', { kind: 'InvalidInput', field: 'onProgress', rule: 'type' });
  }
  // An error thrown by the callback must not break the batch nor end the process before the report is
  // delivered: it becomes a process warning (shown on stderr, and observable with process.on('warning')).
  // `null` is the addon's end marker: once it has been called, every earlier value has been delivered.
  return (value) => {
    if (value === null) return;
    try {
      onProgress(value);
    } catch (e) {
      process.emitWarning(`onProgress threw: ${e instanceof Error ? e.message : String(e)}`, {
        code: 'ALIPREFETCH_PROGRESS_CALLBACK',
        detail: e instanceof Error ? e.stack : undefined,
      });
    }
  };
}

/**
 * The client. Every method returns a Promise; calls are validated before anything is sent, retried with
 * backoff, paced under the documented quotas, and signed like the official SDKs (V3 by default).
 */
class Client {
  #native;

  constructor(options = {}) {
    const { credentials, ...rest } = options ?? {};
    this.#native = guard(() => new native.Client({ ...rest, credentials: nativeCredentials(credentials) }));
  }

  get region() {
    return this.#native.region;
  }

  /** Whether calls are paced through the shared Redis backend right now (false without one, and while Redis is away). */
  get pacingIsShared() {
    return this.#native.pacingIsShared;
  }

  /**
   * A batch method of the core's (`preload_live_streams`, …), resolving with its report; `#iter` yields
   * its items as their requests settle, and leaving the loop early keeps what was yielded and sends no more.
   */
  #batch(method, domain, items, options) {
    const { onProgress, ...rest } = options ?? {};
    return guardAsync(() => this.#native.batch(method, domain, items, rest, progress(onProgress)));
  }

  #iter(method, domain, items, options) {
    const { onProgress, ...rest } = options ?? {};
    return new BatchIterator(guard(() => this.#native.batchStream(method, domain, items, rest, progress(onProgress))));
  }

  /** Every task of a query, across all pages, fetched as the loop needs them: `for await (const t of …)`. */
  async *preloadTasks(query) {
    for await (const task of new BatchIterator(guard(() => this.#native.preloadTasks(query)))) yield withDates(task);
  }

  /** Polls until every task is complete or failed; resolves with them in the order of the ids. */
  async waitForPreload(domain, taskIds, options = {}) {
    const { onProgress, ...rest } = options ?? {};
    const tasks = await guardAsync(() => this.#native.waitForPreload(domain, taskIds, rest, progress(onProgress)));
    return tasks.map(withDates);
  }

  /** Any RPC action of either service, signed, paced and retried like the rest; resolves with the decoded answer. */
  call(action, { service, params, method } = {}) {
    return guardAsync(() => this.#native.call(action, service, method, params));
  }

  /** Validates and signs one of the five operations as it would be sent, without sending it. */
  async presign(action, params) {
    return new SignedRequest(await guardAsync(() => this.#native.presign(action, params)));
  }

  static {
    const define = (name, value) =>
      Object.defineProperty(this.prototype, name, { value, writable: true, configurable: true });
    const camel = (name) => name.replace(/_(.)/g, (_, c) => c.toUpperCase());
    // The five operations, one method each (`setLiveStreamPreloadTasks`, …): the core's list of actions.
    for (const action of DECLARED.actions) {
      define(action[0].toLowerCase() + action.slice(1), function (params) {
        return guardAsync(async () => withDates(await this.#native.execute(action, params)));
      });
    }
    // The batch methods (`preloadLiveStreams`, `iterRefreshMedia`, …): the core's list; a live batch takes
    // its domain first, a media batch none.
    for (const { name, live } of DECLARED.batchMethods) {
      const args = (given) => (live ? given : [null, ...given]);
      define(camel(name), function (...given) {
        return this.#batch(name, ...args(given));
      });
      define(camel(`iter_${name}`), function (...given) {
        return this.#iter(name, ...args(given));
      });
    }
  }

  [util.inspect.custom]() {
    return `Client { region: '${this.region}' }`;
  }
}

/**
 * A running batch: an async iterable of its items as they settle. `stop()` sends nothing more (the loop
 * then yields what settles of the requests in flight); `unsettled()` names what was in flight.
 */
class BatchIterator {
  #native;
  #ready = [];
  #done = false;

  constructor(handle) {
    this.#native = handle;
  }

  async next() {
    while (this.#ready.length === 0) {
      if (this.#done) return { done: true, value: undefined };
      const items = await guardAsync(() => this.#native.next());
      if (items === null) this.#done = true;
      else this.#ready = items;
    }
    return { done: false, value: this.#ready.shift() };
  }

  /** Called when a `for await` loop is left early: the batch stops sending; what was yielded stays. */
  async return(value) {
    this.stop();
    return { done: true, value };
  }

  stop() {
    guard(() => this.#native.stop());
  }

  unsettled() {
    return guard(() => this.#native.unsettled());
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

// ------------------------------------------------------------------------------------------- emulator

/** The local Live/VOD service, in-process: `const emu = await Emulator.start({ fixtures })`. */
class Emulator {
  #native;

  constructor(handle) {
    this.#native = handle;
  }

  /** Starts an emulator on a free loopback port: `{ fixtures, seed, now }`, `fixtures` an object, JSON text or a path. */
  static async start(options) {
    return new Emulator(guard(() => native.Emulator.start(options)));
  }

  get endpoint() {
    return this.#native.endpoint;
  }

  get credentials() {
    const c = guard(() => this.#native.credentials);
    return new Credentials(c.accessKeyId, c.accessKeySecret, c.securityToken ?? undefined);
  }

  /** Moves the emulator's clock forward (task lifecycles, windows, timestamp checks). */
  advance(by) {
    this.#control('advance', { by });
  }

  now() {
    return new Date(this.#control('now'));
  }

  /** Every prefetch task the emulator holds: `{ account, taskId, domain, playUrl, status, createTime }`. */
  tasks() {
    return this.#control('tasks');
  }

  /** Every RefreshMediaPlayUrls job held: `{ jobId, taskType, mediaIds, createTime }`. */
  refreshJobs() {
    return this.#control('refresh_jobs');
  }

  /** Requests seen per action and outcome (`ok`, an error code, `reset`, `lost:…`). */
  requestCounts() {
    return this.#control('request_counts');
  }

  /** Forgets every task, job, RTC configuration, counted request and quota window. */
  reset() {
    this.#control('reset');
  }

  /** Puts these faults in force while it runs, in the fixture format (snake_case keys, as in the fixtures). */
  setFaults(faults) {
    this.#control('set_faults', { faults });
  }

  /** One of the emulator's controls, by its name in the core. */
  #control(name, args) {
    return guard(() => this.#native.control(name, args));
  }

  /** Stops after the requests in flight; stopping twice is harmless. */
  async stop() {
    await this.#native.stop();
  }

  [util.inspect.custom]() {
    return `Emulator { endpoint: '${this.endpoint}' }`;
  }
}

// -------------------------------------------------------------------------------------------- signing

function signV1({ credentials, ...rest }) {
  return guard(() => native.signV1({ ...rest, credentials: nativeCredentials(credentials) }));
}

function signV3({ credentials, ...rest }) {
  return guard(() => native.signV3({ ...rest, credentials: nativeCredentials(credentials) }));
}

// -------------------------------------------------------------------------------------------- logging

/** Where the library's log lines go: a function of `{ level, name, message }`, or a logger object. */
function setLogger(logger, { level = 'debug', ...rest } = {}) {
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new errors.InvalidInputError(`${unknown[0]}: is not a setLogger option (level)`, { kind: 'InvalidInput', field: unknown[0], rule: 'unknown' });
  }
  let deliver = null;
  if (typeof logger === 'function') {
    deliver = logger;
  } else if (logger && typeof logger === 'object') {
    const missing = ['debug', 'info', 'warn', 'error'].filter((m) => typeof logger[m] !== 'function');
    if (missing.length > 0) {
      throw new errors.InvalidInputError(`logger: has no ${missing.join('/')} method`, { kind: 'InvalidInput', field: 'logger', rule: 'type' });
    }
    // `trace` goes to `debug`: console.trace prints a stack.
    deliver = ({ level: at, name, message }) => logger[at === 'trace' ? 'debug' : at](`${name}: ${message}`);
  } else if (logger !== null && logger !== undefined) {
    throw new errors.InvalidInputError('logger: must be a function, a logger object or null', { kind: 'InvalidInput', field: 'logger', rule: 'type' });
  }
  // A logger that throws is the user's to fix; it must not take the process down from a native callback.
  const safe = deliver && ((record) => {
    try {
      deliver(record);
    } catch (e) {
      process.emitWarning(`aliprefetch: the logger threw: ${e && e.message}`);
    }
  });
  guard(() => native.setLogSink(safe, String(level)));
}

/** `DEBUG=aliprefetch` (or `aliprefetch*`, `aliprefetch:trace`, `*`): log lines on stderr from the start. */
function loggerFromEnv(debug) {
  const names = String(debug || '').split(/[\s,]+/);
  const level = names.includes('aliprefetch:trace') ? 'trace'
    : names.some((n) => ['*', 'aliprefetch', 'aliprefetch*', 'aliprefetch:*'].includes(n)) ? 'debug' : null;
  if (level) {
    setLogger(({ level: at, name, message }) => process.stderr.write(`${new Date().toISOString()} ${at.toUpperCase()} ${name}: ${message}\n`), { level });
  }
}
loggerFromEnv(process.env.DEBUG);

module.exports = {
  ...Object.fromEntries(Object.entries(errors).filter(([name]) => name !== 'CLASSES')),
  Client,
  Credentials,
  Emulator,
  SignedRequest,
  signV1,
  signV3,
  setLogger,
  version: native.version(),
  /** Runs the `aliprefetch` command (what `npx aliprefetch` does); returns its exit code. */
  runCli: (args) => guard(() => native.runCli(['aliprefetch', ...args])),
  // Only in an addon built with the `test-hooks` feature, which no published package is: what a panic becomes.
  ...(typeof native.panicForTests === 'function' && {
    _panicForTests: (message) => guard(() => native.panicForTests(message)),
    _panicLaterForTests: (message) => guardAsync(() => native.panicLaterForTests(message)),
  }),
};
// `import aliprefetch from 'aliprefetch'` under TypeScript's CommonJS interop finds the same object.
module.exports.default = module.exports;
