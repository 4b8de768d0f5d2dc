// A configuration read from the environment that cannot be used: every bad or missing value is
// named at once, so that an operator fixes them all before the next start. The standalone server
// and the store both throw it.

/**
 * Thrown by a configuration reader with one sentence per problem.
 *
 * @example
 * if (problems.length > 0) throw new ConfigError(problems);
 * // Invalid configuration:
 * //   - PORT must be an integer from 0 to 65535; got "x".
 */
export class ConfigError extends Error {
  readonly problems: string[];

  /** `heading` is the message's first line; each problem follows on a line of its own. */
  constructor(problems: string[], heading = 'Invalid configuration:') {
    super(`${heading}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
