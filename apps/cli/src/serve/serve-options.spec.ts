import { describe, expect, it } from '@jest/globals';

import { integerIn, isLoopback, parseHost, parseOrigin, parseSize } from './serve-options.js';

describe('parseSize', () => {
  it('reads WIDTHxHEIGHT', () => {
    expect(parseSize('1280x720')).toEqual({ width: 1280, height: 720 });
  });

  it.each([
    ['1280', /use WIDTHxHEIGHT/],
    ['1280x', /use WIDTHxHEIGHT/],
    ['-2x720', /use WIDTHxHEIGHT/],
    ['1281x720', /Invalid width 1281 .*use an even number, such as 1282/],
    ['1280x721', /Invalid height 721 .*even/],
    ['32x720', /Invalid width 32 .*64 to 8192/],
    ['1280x9000', /Invalid height 9000 .*64 to 8192/],
  ])('rejects %s', (value, message) => {
    expect(() => parseSize(value)).toThrow(message);
  });
});

describe('integerIn', () => {
  const parseFps = integerIn('--fps', 1, 120, 'frames per second');
  const parsePort = integerIn('--port', 0, 65_535);

  it('accepts a value in range', () => {
    expect(parseFps('60')).toBe(60);
  });

  it.each([
    ['0', "Invalid --fps 0: it is out of range, so use 1 to 120 frames per second."],
    ['121', "Invalid --fps 121: it is out of range, so use 1 to 120 frames per second."],
    ['2.5', "Invalid --fps '2.5': use a whole number from 1 to 120 frames per second."],
    ['30fps', "Invalid --fps '30fps': use a whole number from 1 to 120 frames per second."],
  ])('rejects %s', (value, message) => {
    expect(() => parseFps(value)).toThrow(message);
  });

  it('names a port out of range', () => {
    expect(() => parsePort('70000')).toThrow('Invalid --port 70000: it is out of range, so use 0 to 65535.');
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['localhost', true],
    ['::ffff:127.0.0.1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.0.2.1', false],
  ])('%s is %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});

describe('parseHost', () => {
  it.each(['127.0.0.1', '::1', 'localhost', '0.0.0.0'])('accepts %s', (host) => {
    expect(parseHost(host)).toBe(host);
  });

  it.each(['', 'example.com', '127.1', '127.0.0.1;id', ' 127.0.0.1', '::1%lo'])('rejects %j', (host) => {
    expect(() => parseHost(host)).toThrow(/Invalid address/);
  });
});

describe('parseOrigin', () => {
  it('collects repeated origins', () => {
    expect(parseOrigin('http://127.0.0.1:9000', ['https://app.example'])).toEqual(['https://app.example', 'http://127.0.0.1:9000']);
  });

  it('drops a default port and a trailing slash', () => {
    expect(parseOrigin('HTTPS://App.Example:443/')).toEqual(['https://app.example']);
  });

  it.each(['127.0.0.1:9000', 'ftp://127.0.0.1', 'http://127.0.0.1/viewer', 'http://user@127.0.0.1', '*'])('rejects %s', (value) => {
    expect(() => parseOrigin(value)).toThrow(/Invalid origin/);
  });
});
