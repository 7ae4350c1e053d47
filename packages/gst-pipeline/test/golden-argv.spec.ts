import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  captureVariants,
  platformProfile,
  quoteShellArgument,
  renderArgv,
  type GpuVendor,
  type PipelineDescription,
  type Platform,
} from '../src/index.js';
import { testPath } from './support/fixtures.js';

// Set UPDATE_GOLDEN=1 to rewrite the files after an intended change, then review the diff.
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const PROFILES: Array<[Platform, GpuVendor]> = [
  ['linux-va', 'intel'],
  ['linux-va', 'amd'],
  ['linux-qsv', 'intel'],
  ['linux-nvidia', 'nvidia'],
  ['wsl2', 'intel'],
  ['wsl2', 'amd'],
  ['wsl2', 'nvidia'],
  ['macos', 'apple'],
  ['software', 'none'],
];

const BASE: Omit<PipelineDescription, 'encoder'> = {
  source: { kind: 'ximagesrc', display: ':99' },
  width: 1920,
  height: 1080,
  frameRate: 30,
  bitrateKbps: 8000,
};

function commandLine(env: Record<string, string>, description: PipelineDescription): string {
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${quoteShellArgument(value)}`);

  return [...assignments, 'gst-launch-1.0', ...renderArgv(description).map(quoteShellArgument)].join(' ');
}

function compareGolden(name: string, text: string): void {
  const path = testPath(`golden/${name}.txt`);

  if (UPDATE) {
    writeFileSync(path, text);
  }

  expect(text).toBe(readFileSync(path, 'utf8'));
}

describe('golden argv per profile', () => {
  it.each(PROFILES)('%s with %s', (platform, vendor) => {
    // An empty environment, so the golden files do not depend on the LD_LIBRARY_PATH of the machine that runs them.
    const profile = platformProfile(platform, vendor, {});
    const lines = profile.candidates.flatMap((candidate) => [
      `# ${candidate.encoder.kind}${candidate.requiredPaths.length > 0 ? `, needs ${candidate.requiredPaths.join(' ')}` : ''}`,
      commandLine(candidate.env, { ...BASE, encoder: candidate.encoder }),
    ]);

    compareGolden(`${platform}-${vendor}`, `${lines.join('\n')}\n`);
  });

  it('pipewiresrc caps variants for vah264enc', () => {
    const description: PipelineDescription = {
      ...BASE,
      source: { kind: 'pipewiresrc', fd: 42, nodeId: 57 },
      encoder: { kind: 'vah264enc' },
    };
    const lines = captureVariants(description).flatMap((variant) => [
      `# memory ${variant.source.kind === 'pipewiresrc' ? variant.source.memory : ''}`,
      commandLine({}, variant),
    ]);

    compareGolden('pipewiresrc-vah264enc', `${lines.join('\n')}\n`);
  });
});

describe('WSL2 loader path', () => {
  it('puts the WSL2 libraries first', () => {
    const profile = platformProfile('wsl2', 'intel', { LD_LIBRARY_PATH: '/opt/lib' });

    for (const candidate of profile.candidates.slice(0, 2)) {
      expect(candidate.env['LD_LIBRARY_PATH']).toBe('/usr/lib/wsl/lib:/opt/lib');
    }
  });

  it('leaves other platforms alone', () => {
    const profile = platformProfile('linux-va', 'intel', { LD_LIBRARY_PATH: '/opt/lib' });

    expect(profile.candidates.every((candidate) => candidate.env['LD_LIBRARY_PATH'] === undefined)).toBe(true);
  });
});
