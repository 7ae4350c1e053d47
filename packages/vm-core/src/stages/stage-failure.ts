import type { Diagnostics } from '../errors.js';

/**
 * Thrown by a stage's `check` when the stage cannot pass any more, such as a container that has exited. `runStages`
 * then raises `VM_ERR_STAGE_FAILED` at once instead of checking again until the stage's timeout.
 */
export class StageFailure extends Error {
  /** Facts that explain the failure, such as a log tail. They take precedence over the stage's own `diagnose` output. */
  readonly diagnostics: Diagnostics;

  /**
   * @param message - what failed, in a sentence. The `VM_ERR_STAGE_FAILED` error quotes it.
   * @param options - `diagnostics` to carry, `cause` to keep
   */
  constructor(message: string, options: { diagnostics?: Diagnostics; cause?: unknown } = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'StageFailure';
    this.diagnostics = options.diagnostics ?? {};
  }
}
