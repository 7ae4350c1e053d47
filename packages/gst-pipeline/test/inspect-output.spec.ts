import { describe, expect, it } from '@jest/globals';
import { parseGstVersion, parseInspectOutput } from '../src/index.js';
import { fixture } from './support/fixtures.js';

describe('parseInspectOutput on this machine', () => {
  const x264 = parseInspectOutput('x264enc', fixture('gst-inspect/this-machine/x264enc.txt'));

  it('finds x264enc properties', () => {
    expect(Object.keys(x264.properties)).toEqual(expect.arrayContaining(['threads', 'sliced-threads', 'bframes', 'tune', 'key-int-max']));
  });

  it('reads enum nicks in order', () => {
    expect(x264.properties['speed-preset'].values.slice(0, 3)).toEqual(['None', 'ultrafast', 'superfast']);
    expect(x264.properties['speed-preset'].type).toBe('Enum "GstX264EncPreset"');
  });

  it('reads flags nicks', () => {
    expect(x264.properties.tune.values).toContain('zerolatency');
  });

  it('reads sink formats', () => {
    expect(x264.sinkFormats).toEqual(expect.arrayContaining(['I420', 'NV12', 'Y444']));
  });

  it('reads pipewiresrc properties', () => {
    const pipewire = parseInspectOutput('pipewiresrc', fixture('gst-inspect/this-machine/pipewiresrc.txt'));

    expect(pipewire.properties['keepalive-time'].type).toBe('Integer');
    expect(pipewire.properties['resend-last'].type).toBe('Boolean');
    expect(pipewire.properties).toHaveProperty('target-object');
    expect(pipewire.sinkFormats).toEqual([]);
  });

  it('reads the GStreamer version', () => {
    expect(parseGstVersion(fixture('gst-inspect/this-machine/version.txt'))).toBe('1.22.0');
    expect(parseGstVersion('garbage')).toBeUndefined();
  });
});

describe('parseInspectOutput on written recordings', () => {
  it('reads nvcudah264enc 1.24 tune values', () => {
    const element = parseInspectOutput('nvcudah264enc', fixture('gst-inspect/written/nvcudah264enc-1.24.0.txt'));

    expect(element.properties.tune.values).toContain('ultra-low-latency');
    expect(element.properties.preset.values).toContain('p1');
  });

  it('reads the NV12-only sink of vah264enc', () => {
    const element = parseInspectOutput('vah264enc', fixture('gst-inspect/written/vah264enc-1.22.0.txt'));

    expect(element.sinkFormats).toEqual(['NV12']);
  });

  it('strips terminal colours', () => {
    const coloured = '\u001b[1;32mElement Properties:\u001b[0m\n  \u001b[1;34mbitrate\u001b[0m             : Bitrate\n                        Unsigned Integer. Range: 1 - 2048 Default: 2048\n';

    expect(parseInspectOutput('x', coloured).properties.bitrate.type).toBe('Unsigned Integer');
  });
});
