import { describe, expect, it } from '@jest/globals';
import type { DesktopContainerSpec } from '@deskvm/vm-core';
import { containerCreateOptions, containerName, type DesktopContainerOptions, type NetworkMode } from './container-options.js';

const spec: DesktopContainerSpec = {
  project: 'desk',
  image: 'deskvm/desktop:0.1.0',
  gpu: 'none',
  environment: { DISPLAY: ':1' },
  ports: [
    { container: 8080, host: 18080 },
    { container: 5900, host: 0 },
  ],
};

function options(overrides: Partial<DesktopContainerOptions> = {}): DesktopContainerOptions {
  return { spec, network: 'bridge', ...overrides };
}

function thrownMessage(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }

  throw new Error('The call did not throw.');
}

describe('containerName', () => {
  it('prefixes the VM name', () => {
    expect(containerName('default')).toBe('deskvm-default');
  });
});

describe('containerCreateOptions', () => {
  it('publishes bridge ports on 127.0.0.1 only', () => {
    const created = containerCreateOptions('default', options());

    expect(created.HostConfig?.PortBindings).toEqual({
      '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }],
      '5900/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
    });
    expect(created.ExposedPorts).toEqual({ '8080/tcp': {}, '5900/tcp': {} });
  });

  it.each<NetworkMode>(['bridge', 'host', 'none'])('binds no address but loopback with %s', (network) => {
    const created = containerCreateOptions('default', options({ network }));
    const bindings = Object.values((created.HostConfig?.PortBindings ?? {}) as Record<string, Array<{ HostIp: string }>>).flat();

    expect(created.HostConfig?.NetworkMode).toBe(network);

    for (const binding of bindings) {
      expect(binding.HostIp).toBe('127.0.0.1');
    }
  });

  it.each<NetworkMode>(['host', 'none'])('publishes nothing with %s', (network) => {
    const created = containerCreateOptions('default', options({ network }));

    expect(created.HostConfig?.PortBindings).toBeUndefined();
  });

  it('sets name, image, labels and hardening', () => {
    const created = containerCreateOptions('default', options({ labels: { team: 'a', 'dev.deskvm.vm': 'other' } }));

    expect(created.name).toBe('deskvm-default');
    expect(created.Image).toBe('deskvm/desktop:0.1.0');
    expect(created.Labels).toEqual({ team: 'a', 'dev.deskvm.vm': 'default' });
    expect(created.Env).toEqual(['DISPLAY=:1']);
    expect(created.HostConfig?.Init).toBe(true);
    expect(created.HostConfig?.SecurityOpt).toEqual(['no-new-privileges']);
    expect(created.HostConfig?.CapDrop).toEqual(['ALL']);
    expect(created.HostConfig?.RestartPolicy).toEqual({ Name: 'no' });
    expect(created.Tty).toBe(false);
  });

  it('converts shm size from MiB to bytes', () => {
    expect(containerCreateOptions('a', options()).HostConfig?.ShmSize).toBe(1024 * 1024 * 1024);
    expect(containerCreateOptions('a', options({ spec: { ...spec, shmSizeMiB: 256 } })).HostConfig?.ShmSize).toBe(256 * 1024 * 1024);
  });

  it('converts health check times to nanoseconds', () => {
    const created = containerCreateOptions(
      'a',
      options({ healthcheck: { test: ['test', '-f', '/tmp/ready'], intervalMs: 500, timeoutMs: 2000, retries: 3, startPeriodMs: 1500 } }),
    );

    expect(created.Healthcheck).toEqual({
      Test: ['CMD', 'test', '-f', '/tmp/ready'],
      Interval: 500_000_000,
      Timeout: 2_000_000_000,
      Retries: 3,
      StartPeriod: 1_500_000_000,
    });
  });

  it('keeps a CMD-SHELL health check as given', () => {
    const created = containerCreateOptions('a', options({ healthcheck: { test: ['CMD-SHELL', 'true'], intervalMs: 1, timeoutMs: 1, retries: 1 } }));

    expect(created.Healthcheck?.Test).toEqual(['CMD-SHELL', 'true']);
    expect(created.Healthcheck?.StartPeriod).toBe(0);
  });

  it('passes command and user', () => {
    const created = containerCreateOptions('a', options({ command: ['httpd', '-f'], user: '1000:1000' }));

    expect(created.Cmd).toEqual(['httpd', '-f']);
    expect(created.User).toBe('1000:1000');
  });

  it('maps volumes to binds', () => {
    const created = containerCreateOptions(
      'a',
      options({ spec: { ...spec, volumes: [{ source: '/srv/a', target: '/a', readOnly: true }, { source: '/srv/b', target: '/b' }] } }),
    );

    expect(created.HostConfig?.Binds).toEqual(['/srv/a:/a:ro', '/srv/b:/b']);
  });

  it('adds no GPU devices for none', () => {
    const created = containerCreateOptions('a', options());

    expect(created.HostConfig?.Devices).toEqual([]);
    expect(created.HostConfig?.DeviceRequests).toBeUndefined();
  });

  it('adds /dev/dri and extra devices for dri', () => {
    const created = containerCreateOptions('a', options({ spec: { ...spec, gpu: 'dri', devices: ['/dev/uinput'] } }));

    expect(created.HostConfig?.Devices).toEqual([
      { PathOnHost: '/dev/dri', PathInContainer: '/dev/dri', CgroupPermissions: 'rwm' },
      { PathOnHost: '/dev/uinput', PathInContainer: '/dev/uinput', CgroupPermissions: 'rwm' },
    ]);
  });

  it('adds a device request for nvidia', () => {
    const created = containerCreateOptions('a', options({ spec: { ...spec, gpu: 'nvidia' } }));

    expect(created.HostConfig?.DeviceRequests).toEqual([{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }]);
    expect(created.Env).toContain('NVIDIA_DRIVER_CAPABILITIES=compute,utility,video,graphics');
  });

  it('adds dxg, the WSL libraries and d3d12 for wsl', () => {
    const created = containerCreateOptions('a', options({ spec: { ...spec, gpu: 'wsl' } }));

    expect(created.HostConfig?.Devices).toEqual([{ PathOnHost: '/dev/dxg', PathInContainer: '/dev/dxg', CgroupPermissions: 'rwm' }]);
    expect(created.HostConfig?.Binds).toEqual(['/usr/lib/wsl:/usr/lib/wsl:ro']);
    expect(created.Env).toContain('LIBVA_DRIVER_NAME=d3d12');
  });

  it('lets the spec environment override GPU variables', () => {
    const created = containerCreateOptions('a', options({ spec: { ...spec, gpu: 'wsl', environment: { LIBVA_DRIVER_NAME: 'iHD' } } }));

    expect(created.Env).toContain('LIBVA_DRIVER_NAME=iHD');
    expect(created.Env).not.toContain('LIBVA_DRIVER_NAME=d3d12');
  });

  it.each([
    [{ container: 0, host: 1 }],
    [{ container: 80, host: -1 }],
    [{ container: 80, host: 65_536 }],
    [{ container: 1.5, host: 1 }],
  ])('rejects port %j', (port) => {
    expect(thrownMessage(() => containerCreateOptions('a', options({ spec: { ...spec, ports: [port] } })))).toContain(
      `Invalid desktop container port ${JSON.stringify(port)}`,
    );
  });

  it('rejects an invalid spec through vm-core', () => {
    expect(thrownMessage(() => containerCreateOptions('a', options({ spec: { ...spec, image: 'a b' } })))).toContain('image "a b"');
  });

  it.each([
    [{ test: [], intervalMs: 1, timeoutMs: 1, retries: 1 }, 'healthcheck.test'],
    [{ test: ['true'], intervalMs: 0, timeoutMs: 1, retries: 1 }, 'healthcheck.intervalMs 0'],
    [{ test: ['true'], intervalMs: 1, timeoutMs: 1.5, retries: 1 }, 'healthcheck.timeoutMs 1.5'],
    [{ test: ['true'], intervalMs: 1, timeoutMs: 1, retries: 0 }, 'healthcheck.retries 0'],
  ])('rejects health check %j', (healthcheck, named) => {
    expect(thrownMessage(() => containerCreateOptions('a', options({ healthcheck })))).toContain(named);
  });

  it('rejects an empty command', () => {
    expect(thrownMessage(() => containerCreateOptions('a', options({ command: [] })))).toContain('command []');
  });
});
