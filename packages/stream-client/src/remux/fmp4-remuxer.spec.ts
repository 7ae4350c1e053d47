import { describe, expect, it } from '@jest/globals';
import type { VideoMessage } from '@deskvm/stream-protocol';

import { findBox, hexBytes, parseBoxes, toHex } from '../../test/support/box-tree.js';
import { readCaseMessages } from '../../test/support/cases.js';
import { StreamClientError } from '../errors.js';
import { Fmp4Remuxer, type RemuxOutput } from './fmp4-remuxer.js';

function remuxAll(messages: readonly VideoMessage[]): (RemuxOutput | undefined)[] {
  const remuxer = new Fmp4Remuxer();
  return messages.map((message) => remuxer.remux(message));
}

function sampleNalUnitTypes(output: RemuxOutput): number[] {
  const mdat = parseBoxes(output.mediaSegment.data).find((parsed) => parsed.type === 'mdat')!;
  const view = new DataView(mdat.payload.buffer, mdat.payload.byteOffset, mdat.payload.byteLength);
  const types: number[] = [];

  for (let offset = 0; offset < mdat.payload.length; ) {
    const length = view.getUint32(offset);
    types.push(mdat.payload[offset + 4]! & 0x1f);
    offset += 4 + length;
  }

  return types;
}

describe('Fmp4Remuxer', () => {
  it('remuxes the first access unit', async () => {
    const messages = await readCaseMessages('sps-pps-3sei-idr-no-aud-320x240.h264');

    const first = new Fmp4Remuxer().remux(messages[0]!);

    expect(first?.initSegment?.codec).toBe('avc1.f4000d');
    expect(first?.mediaSegment.keyframe).toBe(true);
    expect(first?.mediaSegment.startSeconds).toBe(0);
  });

  it('keeps SEI and slices in samples', async () => {
    const messages = await readCaseMessages('sps-pps-3sei-idr-no-aud-320x240.h264');

    const first = new Fmp4Remuxer().remux(messages[0]!)!;

    expect(sampleNalUnitTypes(first)).toEqual([6, 6, 6, 5]);
  });

  it('drops AUD, SPS and PPS from samples', async () => {
    const messages = await readCaseMessages('cropped-1278x718.h264');

    const first = new Fmp4Remuxer().remux(messages[0]!)!;

    expect(sampleNalUnitTypes(first)).toEqual([6, 5, 5]);
  });

  it('takes the cropped size from the SPS', async () => {
    const messages = await readCaseMessages('cropped-1278x718.h264');

    const first = new Fmp4Remuxer().remux(messages[0]!)!;
    const tkhd = findBox(parseBoxes(first.initSegment!.data), ['moov', 'trak', 'tkhd']);

    expect(first.initSegment?.width).toBe(1278);
    expect(first.initSegment?.height).toBe(718);
    expect(toHex(tkhd.payload.subarray(76, 84))).toBe('04fe0000' + '02ce0000');
  });

  it('takes the codec from the SPS', async () => {
    const messages = await readCaseMessages('high-level51-1920x1080.h264', 16_667n);

    const first = new Fmp4Remuxer().remux(messages[0]!)!;

    expect(first.initSegment?.mimeType).toBe('video/mp4; codecs="avc1.42c033"');
  });

  it('writes a new init segment on SPS change', async () => {
    const messages = await readCaseMessages('res-change-320x240-to-240x320.h264');

    const outputs = remuxAll(messages);
    const inits = outputs.flatMap((output) => (output?.initSegment === undefined ? [] : [output.initSegment]));

    expect(inits.map((init) => `${init.width}x${init.height}`)).toEqual(['320x240', '240x320']);
    expect(outputs.findIndex((output, index) => index > 0 && output?.initSegment !== undefined)).toBe(15);
  });

  it('keeps the init segment for repeated SPS', async () => {
    const messages = await readCaseMessages('no-vui-320x240.h264');

    const outputs = remuxAll(messages);

    expect(outputs.filter((output) => output?.initSegment !== undefined)).toHaveLength(1);
  });

  it('drops access units before a keyframe', async () => {
    const messages = await readCaseMessages('cropped-1278x718.h264');
    const remuxer = new Fmp4Remuxer();

    const late = messages.slice(1, 3).map((message) => remuxer.remux(message));
    const keyframe = remuxer.remux(messages[0]!);

    expect(late).toEqual([undefined, undefined]);
    expect(keyframe?.initSegment).toBeDefined();
  });

  it('keeps decode times monotonic across a jump', async () => {
    const messages = await readCaseMessages('cropped-1278x718.h264');
    const jumped = messages.map((message, index) => ({
      ...message,
      timestampUs: index < 10 ? message.timestampUs + 50_000_000n : message.timestampUs,
    }));

    const starts = remuxAll(jumped).map((output) => output!.mediaSegment.startSeconds);

    for (let index = 1; index < starts.length; index += 1) {
      expect(starts[index]).toBeGreaterThan(starts[index - 1]!);
    }
  });

  it('rejects B-frames', async () => {
    const messages = await readCaseMessages('bframes-main-320x240.h264');
    const remuxer = new Fmp4Remuxer();

    const remuxEach = () => messages.forEach((message) => remuxer.remux(message));

    expect(remuxEach).toThrow(StreamClientError);
    expect(remuxEach).toThrow(/B slices/);
  });

  it('reports the B-frames code', async () => {
    const messages = await readCaseMessages('bframes-main-320x240.h264');
    const remuxer = new Fmp4Remuxer();
    let code: string | undefined;

    try {
      messages.forEach((message) => remuxer.remux(message));
    } catch (error) {
      code = (error as StreamClientError).code;
    }

    expect(code).toBe('CLIENT_ERR_B_FRAMES_UNSUPPORTED');
  });

  it('rejects bytes that are not Annex-B', () => {
    const message: VideoMessage = { type: 'video', keyframe: true, timestampUs: 0n, data: hexBytes('ffffffff') };

    const remux = () => new Fmp4Remuxer().remux(message);

    expect(remux).toThrow(expect.objectContaining({ code: 'CLIENT_ERR_INVALID_ACCESS_UNIT' }));
  });
});
