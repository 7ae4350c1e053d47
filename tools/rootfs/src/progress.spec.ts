import { describe, expect, it } from '@jest/globals';

import { readFile } from 'node:fs/promises';

import { DebootstrapProgressParser, parseAptStatusLine, type RootfsProgress } from './progress.js';

async function parseFixture(): Promise<RootfsProgress[]> {
  const text = await readFile(new URL('../test/fixtures/debootstrap-output.log', import.meta.url), 'utf8');
  const parser = new DebootstrapProgressParser();

  return text.split('\n').flatMap((line) => parser.parse(line) ?? []);
}

describe('DebootstrapProgressParser', () => {
  it('counts packages per step', async () => {
    const progress = await parseFixture();

    const steps = progress.map((entry) => entry.step);
    expect(steps.filter((step) => step === 'retrieve')).toHaveLength(3);
    expect(steps.filter((step) => step === 'validate')).toHaveLength(3);
    expect(steps.filter((step) => step === 'extract')).toHaveLength(6);
    expect(steps.filter((step) => step === 'unpack')).toHaveLength(6);
    expect(steps.filter((step) => step === 'configure')).toHaveLength(5);
  });

  it('skips index files and group lines', async () => {
    const progress = await parseFixture();

    const items = progress.map((entry) => entry.item);
    expect(items).not.toContain('InRelease');
    expect(items).not.toContain('Packages');
    expect(items).not.toContain('required packages');
  });

  it('names packages without versions or dots', async () => {
    const progress = await parseFixture();

    expect(progress[0]).toEqual({ phase: 'bootstrap', step: 'retrieve', done: 1, item: 'adduser' });
    expect(progress.find((entry) => entry.step === 'unpack' && entry.done === 6)?.item).toBe('zlib1g:amd64');
  });

  it('uses the retrieved count as total', async () => {
    const progress = await parseFixture();

    const extract = progress.filter((entry) => entry.step === 'extract');
    expect(progress.filter((entry) => entry.step === 'retrieve').every((entry) => entry.total === undefined)).toBe(true);
    expect(progress.filter((entry) => entry.step === 'validate').every((entry) => entry.total === undefined)).toBe(true);
    expect(extract[0]).toEqual({ phase: 'bootstrap', step: 'extract', done: 1, total: 3, item: 'adduser' });
    expect(extract[5]).toEqual({ phase: 'bootstrap', step: 'extract', done: 6, total: 6, item: 'bsdutils' });
  });

  it('ignores other lines', () => {
    const parser = new DebootstrapProgressParser();

    expect(parser.parse('W: Failure while configuring base packages.')).toBeUndefined();
    expect(parser.parse('I: Checking Release signature')).toBeUndefined();
    expect(parser.parse('')).toBeUndefined();
  });
});

describe('parseAptStatusLine', () => {
  it('reads download lines', () => {
    expect(parseAptStatusLine('dlstatus:3:12.5432:Retrieving file 3 of 240')).toEqual({
      phase: 'packages',
      step: 'download',
      done: 12.5,
      total: 100,
      message: 'Retrieving file 3 of 240',
    });
  });

  it('reads dpkg lines as install or configure', () => {
    const unpacking = parseAptStatusLine('pmstatus:libx11-6:40.0000:Unpacking libx11-6 (amd64)');
    const configuring = parseAptStatusLine('pmstatus:nodejs:96.9868:Configuring nodejs (amd64)');

    expect(unpacking).toMatchObject({ step: 'install', done: 40, item: 'libx11-6' });
    expect(configuring).toMatchObject({ step: 'configure', done: 97, item: 'nodejs' });
  });

  it('keeps colons in the message', () => {
    expect(parseAptStatusLine('pmstatus:dpkg-exec:7.0000:Running dpkg: step 1')?.message).toBe('Running dpkg: step 1');
  });

  it('ignores other lines', () => {
    expect(parseAptStatusLine('Setting up nodejs (18.20.4) ...')).toBeUndefined();
    expect(parseAptStatusLine('pmerror:ca-certificates:97.2:failed')).toBeUndefined();
  });
});
