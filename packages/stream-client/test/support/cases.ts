import { readFile } from 'node:fs/promises';

import { splitAccessUnits, toAnnexB, type VideoMessage } from '@deskvm/stream-protocol';

/** Names of the H.264 case files in the shared cases folder beside the repository. */
export const CASE_FILES = [
  'bframes-main-320x240.h264',
  'cropped-1278x718.h264',
  'high-level51-1920x1080.h264',
  'no-vui-320x240.h264',
  'res-change-320x240-to-240x320.h264',
  'sps-pps-3sei-idr-no-aud-320x240.h264',
] as const;

/** URL of a case file. The cases live in `shared/cases/h264` beside the repository root, wherever it is cloned. */
export function caseFileUrl(name: string): URL {
  return new URL(`../../../../../shared/cases/h264/${name}`, import.meta.url);
}

/** Reads a case file. */
export async function readCaseFile(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(caseFileUrl(name)));
}

/** Reads a case file and returns its access units as video messages, `frameIntervalUs` apart from timestamp 0. */
export async function readCaseMessages(name: string, frameIntervalUs = 33_333n): Promise<VideoMessage[]> {
  const accessUnits = splitAccessUnits(await readCaseFile(name));

  return accessUnits.map((accessUnit, index) => ({
    type: 'video',
    keyframe: accessUnit.keyframe,
    timestampUs: BigInt(index) * frameIntervalUs,
    data: toAnnexB(accessUnit.nalUnits),
  }));
}

/**
 * Reads the case no-vui-320x240.h264 with the VUI removed from every SPS, a fixture of @deskvm/stream-protocol's
 * tests. The case file itself carries a VUI with a bitstream restriction, because x264 always writes one.
 */
export async function readVuiRemovedCase(): Promise<Uint8Array> {
  return new Uint8Array(await readFile(new URL('../../../stream-protocol/test/fixtures/vui-removed-320x240.h264', import.meta.url)));
}
