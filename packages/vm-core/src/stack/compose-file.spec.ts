import { parse } from 'yaml';
import { VmError } from '../errors.js';
import { renderComposeFile } from './compose-file.js';
import type { DesktopContainerSpec } from './container-spec.js';
import { describe, expect, it } from '@jest/globals';

const base: DesktopContainerSpec = {
  project: 'deskvm',
  image: 'deskvm/desktop:0.1.0',
  gpu: 'none',
  environment: { DESKVM_SIZE: '1280x720' },
  volumes: [{ source: '/home/agent', target: '/home/agent' }],
  ports: [{ container: 9876, host: 41080 }],
};

function service(spec: DesktopContainerSpec): Record<string, unknown> {
  return (parse(renderComposeFile(spec)) as { services: Record<string, Record<string, unknown>> }).services.desktop!;
}

describe('renderComposeFile', () => {
  it('publishes ports on 127.0.0.1 only', () => {
    expect(service(base).ports).toEqual(['127.0.0.1:41080:9876']);
  });

  it('adds no GPU devices for software rendering', () => {
    const desktop = service(base);

    expect(desktop.devices).toBeUndefined();
    expect(desktop.environment).toEqual({ DESKVM_SIZE: '1280x720' });
    expect(desktop.volumes).toEqual(['/home/agent:/home/agent']);
  });

  it('passes /dev/dri for VA-API on Linux', () => {
    expect(service({ ...base, gpu: 'dri' }).devices).toEqual(['/dev/dri:/dev/dri']);
  });

  it('requests NVIDIA GPUs with the video capability', () => {
    const desktop = service({ ...base, gpu: 'nvidia' });

    expect(desktop.deploy).toEqual({
      resources: { reservations: { devices: [{ driver: 'nvidia', count: 'all', capabilities: ['gpu'] }] } },
    });
    expect((desktop.environment as Record<string, string>).NVIDIA_DRIVER_CAPABILITIES).toContain('video');
  });

  it('plumbs the WSL2 GPU through /dev/dxg and /usr/lib/wsl', () => {
    const desktop = service({ ...base, gpu: 'wsl' });

    expect(desktop.devices).toEqual(['/dev/dxg:/dev/dxg']);
    expect(desktop.volumes).toEqual(['/usr/lib/wsl:/usr/lib/wsl:ro', '/home/agent:/home/agent']);
    expect(desktop.environment).toMatchObject({ LIBVA_DRIVER_NAME: 'd3d12', LD_LIBRARY_PATH: '/usr/lib/wsl/lib' });
  });

  it('keeps hostile environment values as data', () => {
    const value = 'x\nprivileged: true\n$(id) "quoted" \'single\'';
    const desktop = service({ ...base, environment: { NOTE: value } });

    expect((desktop.environment as Record<string, string>).NOTE).toBe(value);
    expect(desktop.privileged).toBeUndefined();
  });

  it.each([
    [{ project: 'Desk VM' }, 'project'],
    [{ image: 'a b' }, 'image'],
    [{ environment: { 'BAD-NAME': 'x' } }, 'environment variable name'],
    [{ ports: [{ container: 0, host: 80 }] }, 'port'],
    [{ volumes: [{ source: 'relative', target: '/x' }] }, 'path'],
    [{ devices: ['/dev/a:/dev/b'] }, 'path'],
  ] as const)('rejects an invalid %j', (change, what) => {
    expect(() => renderComposeFile({ ...base, ...change } as DesktopContainerSpec)).toThrow(VmError);
    expect(() => renderComposeFile({ ...base, ...change } as DesktopContainerSpec)).toThrow(what);
  });
});
