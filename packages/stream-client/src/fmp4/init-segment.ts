import { avcSampleEntry, type AvcParameterSets } from './avc-sample-entry.js';
import { box, concatBytes, fourCc, fullBox, u16, u32, unityMatrix, zeros } from './box-writer.js';

/** The only track of the stream. */
export const VIDEO_TRACK_ID = 1;

/** Default media timescale: 90000 ticks per second, the usual clock of H.264 video. */
export const DEFAULT_TIMESCALE = 90_000;

const MOVIE_TIMESCALE = 1000;

// ISO-639-2 "und" packed as three 5-bit letters, each minus 0x60.
const LANGUAGE_UNDETERMINED = 0x55c4;

/** Input of `createInitSegment`. */
export interface InitSegmentOptions extends AvcParameterSets {
  /** Media timescale in ticks per second. Default 90000. */
  timescale?: number;
}

/**
 * Writes an fMP4 init segment (`ftyp` and `moov`) for one H.264 video track with empty sample tables and a `trex`,
 * so that every sample comes in later `moof`/`mdat` fragments.
 */
export function createInitSegment(options: InitSegmentOptions): Uint8Array {
  const timescale = options.timescale ?? DEFAULT_TIMESCALE;

  const ftyp = box('ftyp', fourCc('isom'), u32(0x200), fourCc('isom'), fourCc('iso6'), fourCc('avc1'), fourCc('mp41'));
  const moov = box('moov', movieHeader(), track(options, timescale), movieExtends());

  return concatBytes([ftyp, moov]);
}

function movieHeader(): Uint8Array {
  return fullBox(
    'mvhd',
    0,
    0,
    u32(0), // creation_time
    u32(0), // modification_time
    u32(MOVIE_TIMESCALE),
    u32(0), // duration: unknown, the fragments carry it
    u32(0x00010000), // rate 1.0
    u16(0x0100), // volume 1.0
    zeros(10),
    unityMatrix(),
    zeros(24),
    u32(VIDEO_TRACK_ID + 1), // next_track_ID
  );
}

function track(options: InitSegmentOptions, timescale: number): Uint8Array {
  const trackHeader = fullBox(
    'tkhd',
    0,
    0x000003, // track_enabled | track_in_movie
    u32(0),
    u32(0),
    u32(VIDEO_TRACK_ID),
    u32(0),
    u32(0), // duration
    zeros(8),
    u16(0), // layer
    u16(0), // alternate_group
    u16(0), // volume: 0 for video
    u16(0),
    unityMatrix(),
    u32(options.width * 0x10000), // width in 16.16
    u32(options.height * 0x10000), // height in 16.16
  );

  return box('trak', trackHeader, media(options, timescale));
}

function media(options: InitSegmentOptions, timescale: number): Uint8Array {
  const mediaHeader = fullBox('mdhd', 0, 0, u32(0), u32(0), u32(timescale), u32(0), u16(LANGUAGE_UNDETERMINED), u16(0));
  const handler = fullBox(
    'hdlr',
    0,
    0,
    u32(0),
    fourCc('vide'),
    zeros(12),
    new TextEncoder().encode('VideoHandler\0'),
  );

  return box('mdia', mediaHeader, handler, mediaInformation(options));
}

function mediaInformation(options: InitSegmentOptions): Uint8Array {
  const videoHeader = fullBox('vmhd', 0, 1, u16(0), zeros(6));
  const dataInformation = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));
  const sampleTable = box(
    'stbl',
    fullBox('stsd', 0, 0, u32(1), avcSampleEntry(options)),
    fullBox('stts', 0, 0, u32(0)),
    fullBox('stsc', 0, 0, u32(0)),
    fullBox('stsz', 0, 0, u32(0), u32(0)),
    fullBox('stco', 0, 0, u32(0)),
  );

  return box('minf', videoHeader, dataInformation, sampleTable);
}

function movieExtends(): Uint8Array {
  const trackExtends = fullBox('trex', 0, 0, u32(VIDEO_TRACK_ID), u32(1), u32(0), u32(0), u32(0));
  return box('mvex', trackExtends);
}
