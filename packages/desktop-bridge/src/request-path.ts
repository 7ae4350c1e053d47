/**
 * Returns the path of a request target (`/stream?x=1` gives `/stream`), or undefined when the target is not a valid
 * URL, such as `//[`. The server responds to those with 400 instead of failing.
 */
export function requestPath(target: string | undefined): string | undefined {
  if (target === undefined) {
    return undefined;
  }

  try {
    return new URL(target, 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}
