// Remux throughput: access units per second through deskvm's Fmp4Remuxer and through jmuxer, on the same access units
// in the same run. Run from the repository root after `npm run build`:
//   node benchmarks/stream/remux-throughput.mjs [rounds=7]
//
// Both sides get each access unit as its own Annex-B Uint8Array, one call per access unit, and produce one fMP4
// fragment (moof and mdat) per access unit, as a live player needs. Per access unit:
// - Fmp4Remuxer.remux() splits the NAL units and reads the slice type of each slice, to reject B slices. It compares
//   the SPS and PPS with those of the last init segment and writes a new init segment on any change. It converts the
//   sample to length-prefixed form without SPS, PPS and AUD, and writes moof and mdat with a 64-bit decode time.
// - jmuxer 2.0.7 (node mode, flushingTime 0) copies the bytes it kept from the previous call in front of the new
//   ones, splits the NAL units, and reads the first-macroblock field of each slice to find frame boundaries. It parses
//   the SPS only the first time, and writes moof and mdat with the parameter sets left in the sample. It keeps the
//   bytes after the last start code until the next call, so it emits each fragment one access unit late.
// Each round times one pass per side, in alternating order, with a new remuxer per pass. The table shows the median.
import { readFile } from 'node:fs/promises';

import { Fmp4Remuxer } from '@deskvm/stream-client';
// NOTE: jmuxer is pinned to 2.0.7 because 2.1.1 declares "type": "module" but ships only a UMD bundle, which Node
// then loads as an ES module that exports nothing.
import JMuxer from 'jmuxer';

import { encodeTestStream, toAccessUnits } from './support/encode-stream.mjs';
import { formatNumber, median, printTable } from './support/statistics.mjs';

const rounds = Number(process.argv[2] ?? 7);
/** Access units per timed pass; short inputs are repeated until a pass reaches this many. */
const ACCESS_UNITS_PER_PASS = 3000;
const CASE_FILE = new URL('../../../shared/cases/h264/high-level51-1920x1080.h264', import.meta.url);

/** Remuxes `accessUnits` `repeats` times with a new Fmp4Remuxer and returns the fragments and bytes written. */
function remuxWithDeskvm(accessUnits, repeats, frameRate) {
  const remuxer = new Fmp4Remuxer();
  const frameIntervalUs = BigInt(Math.round(1_000_000 / frameRate));
  let timestampUs = 0n;
  let fragments = 0;
  let bytes = 0;

  remuxer.handleHello({ frameRateNumerator: frameRate, frameRateDenominator: 1 });
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    for (const accessUnit of accessUnits) {
      const output = remuxer.remux({ type: 'video', keyframe: accessUnit.keyframe, timestampUs, data: accessUnit.data });
      timestampUs += frameIntervalUs;
      if (output !== undefined) {
        fragments += 1;
        bytes += output.mediaSegment.data.length + (output.initSegment?.data.length ?? 0);
      }
    }
  }

  return { fragments, bytes };
}

/** Remuxes `accessUnits` `repeats` times with a new jmuxer in node mode and returns the fragments and bytes written. */
function remuxWithJmuxer(accessUnits, repeats, frameRate) {
  let outputs = 0;
  let bytes = 0;
  const muxer = new JMuxer({
    mode: 'video',
    flushingTime: 0,
    fps: frameRate,
    debug: false,
    onData: (data) => {
      outputs += 1;
      bytes += data.length;
    },
  });
  const durationMs = Math.round(1000 / frameRate);

  for (let repeat = 0; repeat < repeats; repeat += 1) {
    for (const accessUnit of accessUnits) {
      muxer.feed({ video: accessUnit.data, duration: durationMs });
    }
  }
  muxer.destroy();

  // The first output is the init segment.
  return { fragments: outputs - 1, bytes };
}

const SIDES = { 'deskvm Fmp4Remuxer': remuxWithDeskvm, 'jmuxer 2.0.7': remuxWithJmuxer };

function timePass(remux, accessUnits, repeats, frameRate) {
  const start = performance.now();
  const output = remux(accessUnits, repeats, frameRate);
  const seconds = (performance.now() - start) / 1000;

  return { ...output, accessUnitsPerSecond: (accessUnits.length * repeats) / seconds };
}

/** Runs `rounds` interleaved passes of every side on one input and returns a table row per side. */
function measureInput(name, accessUnits, frameRate) {
  const repeats = Math.max(1, Math.ceil(ACCESS_UNITS_PER_PASS / accessUnits.length));
  const names = Object.keys(SIDES);
  const rates = new Map(names.map((side) => [side, []]));
  const outputs = new Map();

  for (const side of names) {
    outputs.set(side, timePass(SIDES[side], accessUnits, repeats, frameRate)); // warm-up, not counted
  }
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const side of order) {
      rates.get(side).push(timePass(SIDES[side], accessUnits, repeats, frameRate).accessUnitsPerSecond);
    }
  }

  const inputBytes = accessUnits.reduce((total, accessUnit) => total + accessUnit.data.length, 0) * repeats;
  const deskvmRate = median(rates.get(names[0]));

  return names.map((side) => {
    const rate = median(rates.get(side));
    const { fragments, bytes } = outputs.get(side);
    return [
      name,
      side,
      formatNumber(rate, 0),
      formatNumber(1e6 / rate, 1),
      formatNumber((rate * inputBytes) / (accessUnits.length * repeats) / 1e6, 1),
      `${fragments} / ${accessUnits.length * repeats}`,
      formatNumber(bytes / inputBytes, 3),
      side === names[0] ? '' : `${formatNumber(deskvmRate / rate, 2)}x`,
    ];
  });
}

console.log('Encoding 600 frames of 1280x720 at 30 fps with x264 (videotestsrc snow, 4000 kbit/s)...');
const encoded = await encodeTestStream({ width: 1280, height: 720, frameRate: 30, frames: 600 });
const caseAccessUnits = toAccessUnits(
  await readFile(CASE_FILE).catch((error) => {
    throw new Error(`Cannot read ${CASE_FILE.pathname}: the shared cases folder must sit beside the repository.`, { cause: error });
  }),
);

const rows = [
  ['input', 'remuxer', 'access units/s (median)', 'µs per access unit', 'MB/s in', 'fragments / access units', 'bytes out / in', 'deskvm vs jmuxer'],
  ...measureInput(`high-level51-1920x1080.h264 (${caseAccessUnits.length} AUs, repeated)`, caseAccessUnits, 60),
  ...measureInput(`x264 1280x720 30 fps (${encoded.length} AUs)`, encoded, 30),
];

console.log(`\n${rounds} rounds per input, ${ACCESS_UNITS_PER_PASS} or more access units per pass, Node ${process.version}\n`);
printTable(rows);
console.log('\nTarget: deskvm at least 3x the access units per second of jmuxer.');
