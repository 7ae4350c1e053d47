import { describe, expect, it } from '@jest/globals';

import { toStreamPoint } from './stream-coordinates.js';

describe('toStreamPoint', () => {
  it('maps without bars', () => {
    const point = toStreamPoint(660, 380, { left: 20, top: 20, width: 1280, height: 720 }, 1280, 720);

    expect(point).toEqual({ x: 640, y: 360 });
  });

  it('scales a smaller element', () => {
    const point = toStreamPoint(320, 180, { left: 0, top: 0, width: 640, height: 360 }, 1920, 1080);

    expect(point).toEqual({ x: 960, y: 540 });
  });

  it('skips bars above and below', () => {
    // A 16:9 picture in a 1000x1000 box: 1000x562.5, with bars of 218.75 px above and below.
    const rect = { left: 0, top: 0, width: 1000, height: 1000 };

    expect(toStreamPoint(0, 218.75, rect, 1280, 720)).toEqual({ x: 0, y: 0 });
    expect(toStreamPoint(500, 500, rect, 1280, 720)).toEqual({ x: 640, y: 360 });
    expect(toStreamPoint(999.9, 781.2, rect, 1280, 720)).toEqual({ x: 1279, y: 719 });
  });

  it('skips bars left and right', () => {
    // A 4:3 picture in a 1600x600 box: 800x600, with bars of 400 px on each side.
    const rect = { left: 0, top: 0, width: 1600, height: 600 };

    expect(toStreamPoint(400, 0, rect, 320, 240)).toEqual({ x: 0, y: 0 });
    expect(toStreamPoint(800, 300, rect, 320, 240)).toEqual({ x: 160, y: 120 });
  });

  it('clamps points on the bars', () => {
    const rect = { left: 0, top: 0, width: 1600, height: 600 };

    expect(toStreamPoint(10, 10, rect, 320, 240)).toEqual({ x: 0, y: 4 });
    expect(toStreamPoint(1590, 590, rect, 320, 240)).toEqual({ x: 319, y: 236 });
  });

  it('rejects an empty rectangle', () => {
    expect(toStreamPoint(0, 0, { left: 0, top: 0, width: 0, height: 0 }, 320, 240)).toBeUndefined();
  });
});
