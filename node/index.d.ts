// The public API of the `aliprefetch` package (CommonJS and ESM alike). Checked by `tsc --strict` over
// examples/typed.ts and the README quickstart in ./scripts/test.

/// <reference types="node" />

// The value sets (`Area`, `ErrorKind`, …: what a media id's line of a report says is `ItemOutcome`) are
// generated from the core into value-sets.d.ts.
import type {
  Area,
  Definition,
  ItemOutcome,
  MediaFormat,
  PreloadStatus,
  PullToPushRegion,
  ResultType,
  Service,
  StreamType,
  TaskType,
} from './value-sets';
export * from './value-sets';
// The operations' request parameters, generated from the core into params.d.ts.
import type {
  ClientOptions,
  Operations,
  DescribeLiveStreamPreloadTasksParams,
  HotLiveRtcStreamParams,
  MediaOptions,
  PreloadLiveStreamsOptions,
  RefreshMediaPlayUrlsParams,
  SetLiveStreamPreloadTasksParams,
  SignV1Input,
  SignV3Input,
  UpdateLivePullToPushParams,
  WaitOptions,
} from './params';
export * from './params';
// The results of calls and batches, generated from the core into records.d.ts.
import type {
  DescribeLiveStreamPreloadTasksResult,
  HeldPreloadTask,
  HeldRefreshJob,
  RequestCount,
  SignedV1,
  SignedV3,
  HotLiveRtcStreamResult,
  MediaItem,
  MediaReport,
  PreloadItem,
  PreloadReport,
  PreloadTask,
  Progress,
  RefreshMediaPlayUrlsResult,
  SetLiveStreamPreloadTasksResult,
  UpdateLivePullToPushResult,
} from './records';
export * from './records';
// The exception classes, generated from the core into errors.d.ts.
import type {
  AliPrefetchError,
  ApiError,
  AuthError,
  CredentialsError,
  DecodeError,
  InvalidInputError,
  ServerError,
  ThrottledError,
  TimeoutError,
  TransportError,
} from './errors';
export * from './errors';

/** A point in time: a `Date`, or `yyyy-MM-ddTHH:mm:ssZ`. */
export type Time = Date | string;
/** A list: an array, or a comma-separated string. */
export type List<T extends string = string> = readonly T[] | string;

export interface CredentialsInput {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string | null;
}

/** An access key, optionally with an STS token. Inspecting or serializing it never shows the secret or the token. */
export class Credentials {
  constructor(accessKeyId: string, accessKeySecret: string, securityToken?: string);
  readonly accessKeyId: string;
  readonly hasSecurityToken: boolean;
  toJSON(): { accessKeyId: string; accessKeySecret: '<redacted>'; securityToken: '<redacted>' | null };
}

/** A running batch: `for await (const item of batch)`; leaving the loop early stops it. */
export interface BatchIterator<T> extends AsyncIterableIterator<T> {
  /** Sends nothing more; the loop then yields what settles of the requests in flight. */
  stop(): void;
  /** The URLs (or media ids) whose requests were sent and have not settled. */
  unsettled(): string[];
}

export type PreloadTasksQuery = Omit<DescribeLiveStreamPreloadTasksParams, 'pageNum'>;

/** A request signed for the wire; inspecting or serializing it hides the signature and the token. */
export class SignedRequest {
  private constructor();
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  toJSON(): { method: string; url: string; headers: Array<[string, string]> };
}

export type Action =
  | 'SetLiveStreamPreloadTasks'
  | 'DescribeLiveStreamPreloadTasks'
  | 'HotLiveRtcStream'
  | 'UpdateLivePullToPush'
  | 'RefreshMediaPlayUrls';

/** The five operations and the batch, paging and waiting methods, declared in params.d.ts from the core. */
export interface Client extends Operations {}
/**
 * The client. Every method returns a Promise; calls are validated before anything is sent (rejecting with an
 * `InvalidInputError` naming the field), retried with backoff, paced under the documented quotas, and signed like
 * the official SDKs.
 */
export class Client {
  constructor(options?: ClientOptions);
  readonly region: string;
  /** Whether calls are paced through the shared Redis backend right now (false without one, and while Redis is away). */
  readonly pacingIsShared: boolean;
  call(
    action: string,
    options: { service: Service; params?: Record<string, string | number | boolean | Date | readonly string[]>; method?: 'GET' | 'POST' },
  ): Promise<Record<string, unknown>>;
  presign(action: Action, params: Record<string, unknown>): Promise<SignedRequest>;
}

export interface EmulatorOptions {
  /** The emulator's fixture format as an object, JSON text, or a path to a JSON file. */
  fixtures?: Record<string, unknown> | string;
  /** Seed of the fault generator. */
  seed?: number;
  /** Start the emulator's clock here instead of now. */
  now?: Time;
}

/** The local Live/VOD service, in-process. */
export class Emulator {
  private constructor();
  static start(options?: EmulatorOptions): Promise<Emulator>;
  /** `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** The first account (by default `testid` / `testsecret`). */
  readonly credentials: Credentials;
  advance(ms: number): void;
  now(): Date;
  /** Every prefetch task the emulator holds (what the service really holds, for tests). */
  tasks(): HeldPreloadTask[];
  refreshJobs(): HeldRefreshJob[];
  requestCounts(): RequestCount[];
  /** Forgets every task, job, RTC configuration, counted request and quota window. */
  reset(): void;
  stop(): Promise<void>;
}

/** The pure V1 (HMAC-SHA1) signer. */
export function signV1(input: SignV1Input): SignedV1;
/** The pure V3 (ACS3-HMAC-SHA256) signer. */
export function signV3(input: SignV3Input): SignedV3;

/** The package's version (the workspace's). */
export const version: string;
/** Runs the `aliprefetch` command with `args` (without the program name), as `npx aliprefetch` does; returns its exit code. */
export function runCli(args: string[]): number;

declare const aliprefetch: {
  AliPrefetchError: typeof AliPrefetchError;
  ApiError: typeof ApiError;
  AuthError: typeof AuthError;
  Client: typeof Client;
  Credentials: typeof Credentials;
  CredentialsError: typeof CredentialsError;
  DecodeError: typeof DecodeError;
  Emulator: typeof Emulator;
  InvalidInputError: typeof InvalidInputError;
  ServerError: typeof ServerError;
  SignedRequest: typeof SignedRequest;
  ThrottledError: typeof ThrottledError;
  TimeoutError: typeof TimeoutError;
  TransportError: typeof TransportError;
  signV1: typeof signV1;
  signV3: typeof signV3;
  version: string;
  runCli: typeof runCli;
};
export default aliprefetch;
