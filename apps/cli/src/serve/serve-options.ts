import { InvalidArgumentError } from 'commander';

/** Desktop size in pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * Parses a `WIDTHxHEIGHT` size such as `1280x720`. Both must be even (x264 encodes 4:2:0 video, which needs even
 * sizes) and between 64 and 7680.
 */
export function parseSize(value: string): Size {
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(value);
  if (match === null) {
    throw new InvalidArgumentError(`Invalid size '${value}': use WIDTHxHEIGHT, for example 1280x720.`);
  }

  const width = Number(match[1]);
  const height = Number(match[2]);
  for (const [name, pixels] of [['width', width], ['height', height]] as const) {
    if (pixels < 64 || pixels > 7680) {
      throw new InvalidArgumentError(`Invalid ${name} ${pixels} in '${value}': use 64 to 7680 pixels.`);
    }
    if (pixels % 2 !== 0) {
      throw new InvalidArgumentError(`Invalid ${name} ${pixels} in '${value}': use an even number, such as ${pixels + 1}.`);
    }
  }
  return { width, height };
}

/** Returns a parser of a whole number in `[minimum, maximum]` whose errors name the option and its unit. */
export function integerIn(minimum: number, maximum: number, unit: string): (value: string) => number {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) {
      throw new InvalidArgumentError(`Invalid number '${value}': use a whole number of ${unit} from ${minimum} to ${maximum}.`);
    }
    const number = Number(value);
    if (number < minimum || number > maximum) {
      throw new InvalidArgumentError(`Out of range: ${number} ${unit}; use ${minimum} to ${maximum}.`);
    }
    return number;
  };
}

/** True for addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
