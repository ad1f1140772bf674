// aliprefetch/testing: an emulator per test for node:test, Jest and Vitest, and @alicloud/pop-core's settings for it.
import type { Client, Emulator, Time } from './index';

export interface EmulatorOptions {
  /** The emulator's fixture format (docs/fixtures.md): an object, its JSON text, or a path. */
  fixtures?: object | string;
  /** The seed of the faults. */
  seed?: number;
  /** Where the emulator's clock starts. */
  now?: Time;
}

/** The options of @alicloud/pop-core's `RPCClient` that point it at the emulator, with the fixtures' first account. */
export interface PopCoreConfig {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  endpoint: string;
  apiVersion: string;
}

export interface EmulatorHarness {
  readonly emulator: Emulator;
  readonly client: Client;
  /** Live's API version is `2016-11-01`, VOD's `2017-03-21`. */
  popCoreConfig(apiVersion: string): PopCoreConfig;
}

/** Runs `fn` with an emulator started from `options`, stopped afterwards. */
export function withEmulator<T>(options: EmulatorOptions | undefined, fn: (h: EmulatorHarness) => Promise<T> | T): Promise<T>;

/** An emulator per test through the framework's `beforeEach`/`afterEach` (node:test, Jest, Vitest). */
export function useEmulator(
  hooks: { beforeEach(fn: () => Promise<void>): unknown; afterEach(fn: () => Promise<void>): unknown },
  options?: EmulatorOptions,
): EmulatorHarness;
