/**
 * Exit statuses of the sandbox commands (`up`, `down`, `status`, `exec`, `logs`, `view`, `doctor`, `image build`).
 * Scripts branch on these; they never change meaning. `deskvm exec` exits with the command's own status instead,
 * and uses 125 for a failure of its own, as `docker exec` does.
 */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** A failure without a more specific status below. */
  failure: 1,
  /** Invalid command-line usage. */
  usage: 2,
  /** No Docker engine responded, or this user may not use it. */
  engine: 3,
  /** The sandbox does not run (for `exec`, `logs -f`, `view`). */
  notRunning: 4,
  /** A readiness stage of `up` failed; the message names the stage and shows the container's log tail. */
  stage: 5,
  /** The desktop image could not be built, imported or pulled. */
  image: 6,
  /** Another deskvm process is starting or stopping the same sandbox. */
  locked: 7,
  /** `doctor` found a problem that keeps `deskvm up` from working. */
  doctor: 8,
  /** `deskvm exec --timeout` killed the command, as timeout(1) reports it. */
  timedOut: 124,
  /** `deskvm exec` could not run the command (the sandbox is down, the engine failed). */
  execFailed: 125,
  /** Interrupted by SIGINT (128 + 2). */
  interrupted: 130,
} as const;

/** One of the exit statuses above. */
export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];
