// ESM entry: the same classes as the CommonJS entry (one module instance), so `instanceof` holds across both.
import aliprefetch from './index.js';

export const {
  AliPrefetchError,
  ApiError,
  AuthError,
  Client,
  Credentials,
  CredentialsError,
  DecodeError,
  Emulator,
  InvalidInputError,
  ServerError,
  SignedRequest,
  ThrottledError,
  TimeoutError,
  TransportError,
  signV1,
  signV3,
  version,
  runCli,
} = aliprefetch;

export default aliprefetch;
