import { isIP } from 'node:net';
import { isAbsolute, normalize } from 'node:path';

import { InvalidArgumentError } from 'commander';

import { MAX_DESKTOP_SIZE, MIN_DESKTOP_SIZE } from '@deskvm/desktop-bridge';

/** Desktop size in pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * Parses a `WIDTHxHEIGHT` size such as `1280x720`. Both must be even (x264 encodes 4:2:0 video, which needs even
 * sizes) and from `MIN_DESKTOP_SIZE` to `MAX_DESKTOP_SIZE` (64 to 8192), the limits the bridge applies to resize
 * requests. The command checks the H.264 level's area limit separately, through the pipeline description.
 */
export function parseSize(value: string): Size {
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(value);
  if (match === null) {
    throw new InvalidArgumentError(`Invalid size '${value}': use WIDTHxHEIGHT, for example 1280x720.`);
  }

  const width = Number(match[1]);
  const height = Number(match[2]);
  for (const [name, pixels] of [['width', width], ['height', height]] as const) {
    if (pixels < MIN_DESKTOP_SIZE || pixels > MAX_DESKTOP_SIZE) {
      throw new InvalidArgumentError(`Invalid ${name} ${pixels} in '${value}': use ${MIN_DESKTOP_SIZE} to ${MAX_DESKTOP_SIZE} pixels.`);
    }
    if (pixels % 2 !== 0) {
      throw new InvalidArgumentError(`Invalid ${name} ${pixels} in '${value}': use an even number, such as ${pixels + 1}.`);
    }
  }
  return { width, height };
}

/**
 * Returns a parser of a whole number in `[minimum, maximum]` whose errors name the option, the value and the range.
 *
 * @param option the option name, such as `--fps`
 * @param unit the unit after the range in messages, such as `frames per second`; omit it for plain numbers
 */
export function integerIn(option: string, minimum: number, maximum: number, unit?: string): (value: string) => number {
  const range = `${minimum} to ${maximum}${unit === undefined ? '' : ` ${unit}`}`;

  return (value: string): number => {
    if (!/^\d+$/.test(value)) {
      throw new InvalidArgumentError(`Invalid ${option} '${value}': use a whole number from ${range}.`);
    }
    const number = Number(value);
    if (number < minimum || number > maximum) {
      throw new InvalidArgumentError(`Invalid ${option} ${number}: it is out of range, so use ${range}.`);
    }
    return number;
  };
}

/**
 * Parses the listen address: an IPv4 or IPv6 literal, or `localhost`. Host names are rejected because they may
 * resolve to several addresses, and an empty value would mean every interface.
 */
export function parseHost(value: string): string {
  // A zone index such as ::1%lo cannot appear in a URL that browsers accept, so it is rejected too.
  if (value === 'localhost' || (isIP(value) !== 0 && !value.includes('%'))) {
    return value;
  }
  throw new InvalidArgumentError(`Invalid address '${value}': use an IP address such as 127.0.0.1 or ::1, or localhost.`);
}

/** True for addresses that only this machine can reach: 127.0.0.0/8, ::1, their IPv4-mapped form, and localhost. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') {
    return true;
  }

  // URL gives the canonical form: 0:0:0:0:0:0:0:1 becomes [::1], and ::ffff:127.0.0.1 becomes [::ffff:7f00:1].
  const canonical = new URL(`http://${host.includes(':') ? `[${host}]` : host}`).hostname;
  const mapped = /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical);
  return canonical === '[::1]' || canonical.startsWith('127.') || mapped;
}

/** Parses an origin allowed to open the stream, such as `http://127.0.0.1:9000` for a forwarded port. */
export function parseOrigin(value: string, previous: readonly string[] = []): string[] {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }

  const bare = url !== undefined && url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
  if (url === undefined || !['http:', 'https:'].includes(url.protocol) || !bare) {
    throw new InvalidArgumentError(
      `Invalid origin '${value}': use http:// or https:// with a host and an optional port, for example http://127.0.0.1:9000.`,
    );
  }
  return [...previous, url.origin];
}

/**
 * Returns a parser for an option that takes an absolute path other than `/`. It rejects relative paths, because the
 * folder would then depend on the current directory.
 */
export function parseAbsolutePath(option: string): (value: string) => string {
  return (value) => {
    if (!isAbsolute(value) || normalize(value) === '/') {
      throw new InvalidArgumentError(`Invalid ${option} ${JSON.stringify(value)}: use an absolute path of a folder other than /.`);
    }
    return normalize(value);
  };
}
