export * from './auth/client-token.js';
export { collabServer } from './plugin.js';
export { ConfigError } from './config-error.js';
export {
  frameworkErrors,
  installErrorHandling,
  toVestnikError,
  validationProblems,
  type ValidationProblem,
} from './http/error-handler.js';
export { drainRefusedBody, type RefusedBodyLimits } from './http/refused-body.js';
export {
  defaultGatewayLimits,
  type CollabServerOptions,
  type GatewayLimits,
  type GatewayStats,
} from './options.js';
