import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { discoverGpu } from './gpu-discovery.js';

describe('discoverGpu', () => {
  let root: string;
  let devRoot: string;
  let sysRoot: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'deskvm-gpu-'));
    devRoot = join(root, 'dev');
    sysRoot = join(root, 'sys');
    await mkdir(devRoot);
    await mkdir(sysRoot);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function addFile(path: string, content = ''): Promise<void> {
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, content);
  }

  async function addRenderNode(name: string, vendor: string): Promise<void> {
    await addFile(join(devRoot, 'dri', name));
    await addFile(join(sysRoot, 'class', 'drm', name, 'device', 'vendor'), `${vendor}\n`);
  }

  it('finds none on an empty tree', async () => {
    const found = await discoverGpu({ devRoot, sysRoot });

    expect(found.plumbing).toBe('none');
    expect(found.renderNodes).toEqual([]);
    expect(found.nvidiaDevices).toEqual([]);
    expect(found.vendors).toEqual([]);
    expect(found.reasons).toEqual(['No GPU device was found, so rendering and encoding run in software.']);
  });

  it('finds dri with Intel and AMD vendors', async () => {
    await addRenderNode('renderD129', '0x1002');
    await addRenderNode('renderD128', '0x8086');
    await addFile(join(devRoot, 'dri', 'card0'));

    const found = await discoverGpu({ devRoot, sysRoot });

    expect(found.plumbing).toBe('dri');
    expect(found.renderNodes).toEqual([join(devRoot, 'dri', 'renderD128'), join(devRoot, 'dri', 'renderD129')]);
    expect(found.vendors).toEqual(['amd', 'intel']);
    expect(found.reasons[0]).toContain('(amd, intel)');
  });

  it('keeps an unknown vendor id', async () => {
    await addRenderNode('renderD128', '0x1AF4');

    expect((await discoverGpu({ devRoot, sysRoot })).vendors).toEqual(['0x1af4']);
  });

  it('chooses nvidia with the runtime', async () => {
    await addFile(join(devRoot, 'nvidia0'));
    await addFile(join(devRoot, 'nvidiactl'));
    await addRenderNode('renderD128', '0x10de');

    const found = await discoverGpu({ devRoot, sysRoot, runtimes: ['runc', 'nvidia'] });

    expect(found.plumbing).toBe('nvidia');
    expect(found.nvidiaDevices).toEqual([join(devRoot, 'nvidia0'), join(devRoot, 'nvidiactl')]);
    expect(found.vendors).toEqual(['nvidia']);
  });

  it('explains nvidia devices without the runtime', async () => {
    await addFile(join(devRoot, 'nvidia0'));
    await addFile(join(devRoot, 'nvidiactl'));

    const found = await discoverGpu({ devRoot, sysRoot, runtimes: ['runc'] });

    expect(found.plumbing).toBe('none');
    expect(found.reasons[0]).toContain('install the NVIDIA container toolkit');
  });

  it('falls back to dri without the nvidia runtime', async () => {
    await addFile(join(devRoot, 'nvidia0'));
    await addFile(join(devRoot, 'nvidiactl'));
    await addRenderNode('renderD128', '0x10de');

    const found = await discoverGpu({ devRoot, sysRoot });

    expect(found.plumbing).toBe('dri');
    expect(found.reasons).toHaveLength(2);
  });

  it('needs nvidiactl for nvidia', async () => {
    await addFile(join(devRoot, 'nvidia0'));

    expect((await discoverGpu({ devRoot, sysRoot, runtimes: ['nvidia'] })).plumbing).toBe('none');
  });

  it('prefers wsl when dxg exists', async () => {
    await addFile(join(devRoot, 'dxg'));
    await addRenderNode('renderD128', '0x8086');

    const found = await discoverGpu({ devRoot, sysRoot });

    expect(found.plumbing).toBe('wsl');
    expect(found.reasons[0]).toContain('WSL2');
  });
});
