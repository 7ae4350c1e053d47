/**
 * A fixed bash script that runs its arguments as a child and ends that child when the deskvm process is gone, even
 * after `kill -9`, which no exit handler in Node can catch. The deskvm process keeps the write end of the script's
 * standard input open. The kernel closes it when deskvm dies, a background reader sees end-of-file, and it sends
 * SIGTERM to the child. SIGTERM, SIGINT or SIGHUP sent to the script are passed on to the child the same way. The
 * trap is set before the child starts, so a signal that arrives first still ends it.
 *
 * The first argument is a path to delete once the child has exited, or an empty string. The script exits with the
 * child's status (127 when the command was not found). The arguments are never parsed by a shell, because bash
 * passes "$@" on as they are.
 */
const WATCH_SCRIPT = `
remove=$1
shift
child=
stopping=
trap 'stopping=1; [ -n "$child" ] && kill -TERM "$child" 2>/dev/null' TERM INT HUP
"$@" </dev/null &
child=$!
if [ -n "$stopping" ]; then
  kill -TERM "$child" 2>/dev/null
fi
( while read -r _; do :; done; kill -TERM "$child" 2>/dev/null ) <&0 3>&- &
reader=$!
wait "$child"
status=$?
while kill -0 "$child" 2>/dev/null; do
  wait "$child"
  status=$?
done
kill "$reader" 2>/dev/null
if [ -n "$remove" ]; then
  rm -rf -- "$remove"
fi
exit "$status"
`;

/** Options of {@link watchedCommand}. */
export interface WatchOptions {
  /** A file or folder to delete after the child has exited, whatever ended it. */
  readonly removeOnExit?: string;
}

/**
 * Returns the executable and arguments that run `argv` under the parent watch. Start the result with its standard
 * input as a pipe (execa's default `stdin: 'pipe'`) and leave that pipe open for as long as the child should run.
 */
export function watchedCommand(argv: readonly [string, ...string[]], options: WatchOptions = {}): [string, string[]] {
  return ['bash', ['-c', WATCH_SCRIPT, 'deskvm-watch', options.removeOnExit ?? '', ...argv]];
}
