import { describe, expect, it } from '@jest/globals';

import { DESKTOP_BRIDGE_PORT, DESKTOP_ENTRY, DESKTOP_USER } from '@deskvm/rootfs';
import { containerCreateOptions } from '@deskvm/vm-native';

import { bridgePortFor, desktopContainerOptions, freeLoopbackPort, viewerUrl, type DesktopContainerSettings } from './desktop-container.js';

const settings: DesktopContainerSettings = {
  name: 'default',
  image: 'deskvm/desktop:0.1.0-abc',
  gpu: 'none',
  network: 'bridge',
  hostPort: 41234,
  token: 'a'.repeat(43),
  width: 1280,
  height: 720,
  frameRate: 30,
  bitrateKbps: 4000,
  settings: 'image deskvm/desktop:0.1.0-abc, 1280x720 at 30 fps, 4000 kbit/s, GPU none',
};

describe('desktopContainerOptions', () => {
  it('publishes the bridge on 127.0.0.1 only with the bridge network', () => {
    const created = containerCreateOptions('default', desktopContainerOptions(settings));
    const bindings = Object.values(created.HostConfig?.PortBindings ?? {}).flat() as Array<{ HostIp: string; HostPort: string }>;

    expect(bindings).toEqual([{ HostIp: '127.0.0.1', HostPort: '41234' }]);
    expect(Object.keys(created.HostConfig?.PortBindings ?? {})).toEqual([`${DESKTOP_BRIDGE_PORT}/tcp`]);
  });

  it('listens on all container addresses with the bridge network', () => {
    const { command } = desktopContainerOptions(settings);

    expect(command?.slice(0, 7)).toEqual(['node', DESKTOP_ENTRY, 'serve', '--host', '0.0.0.0', '--port', String(DESKTOP_BRIDGE_PORT)]);
  });

  it('listens on 127.0.0.1 at the host port with the host network', () => {
    const options = desktopContainerOptions({ ...settings, network: 'host' });
    const created = containerCreateOptions('default', options);

    expect(options.command?.slice(3, 7)).toEqual(['--host', '127.0.0.1', '--port', '41234']);
    expect(created.HostConfig?.PortBindings ?? {}).toEqual({});
    expect(created.HostConfig?.NetworkMode).toBe('host');
  });

  it('allows the origins the viewer is opened from', () => {
    const { command } = desktopContainerOptions(settings);
    const origins = command!.flatMap((argument, index) => (command![index - 1] === '--allow-origin' ? [argument] : []));

    expect(origins).toEqual(['http://127.0.0.1:41234', 'http://localhost:41234']);
  });

  it('passes the stream settings to serve', () => {
    const { command } = desktopContainerOptions({ ...settings, width: 1920, height: 1080, frameRate: 60, bitrateKbps: 8000 });
    const value = (flag: string): string | undefined => command![command!.indexOf(flag) + 1];

    expect(value('--size')).toBe('1920x1080');
    expect(value('--fps')).toBe('60');
    expect(value('--bitrate')).toBe('8000');
  });

  it('sets the user and environment', () => {
    const options = desktopContainerOptions(settings);

    expect(options.user).toBe(DESKTOP_USER);
    expect(options.spec.environment).toEqual({
      DESKVM_TOKEN: settings.token,
      DISPLAY: ':0',
      XAUTHORITY: '/tmp/deskvm-x/Xauthority',
    });
  });

  it('numbers the display by the host port on the host network', () => {
    const options = desktopContainerOptions({ ...settings, network: 'host' });
    const command = options.command!;

    expect(command[command.indexOf('--display') + 1]).toBe('41234');
    expect(options.spec.environment?.['DISPLAY']).toBe(':41234');
  });

  it('checks health at the bridge port inside the container', () => {
    const host = desktopContainerOptions({ ...settings, network: 'host' });
    const bridge = desktopContainerOptions(settings);

    expect(host.healthcheck?.test.join(' ')).toContain('http://127.0.0.1:41234/health');
    expect(bridge.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${DESKTOP_BRIDGE_PORT}/health`);
  });

  it('records the ports and network in labels', () => {
    expect(desktopContainerOptions(settings).labels).toEqual({
      'dev.deskvm.bridge-port': String(DESKTOP_BRIDGE_PORT),
      'dev.deskvm.host-port': '41234',
      'dev.deskvm.network': 'bridge',
      'dev.deskvm.settings': settings.settings,
    });
  });
});

describe('bridgePortFor', () => {
  it('is fixed with the bridge network and the host port otherwise', () => {
    expect(bridgePortFor({ network: 'bridge', hostPort: 5000 })).toBe(DESKTOP_BRIDGE_PORT);
    expect(bridgePortFor({ network: 'host', hostPort: 5000 })).toBe(5000);
  });
});

describe('viewerUrl', () => {
  it('puts the token in the fragment, encoded', () => {
    expect(viewerUrl(5000, 'a+b/c')).toBe('http://127.0.0.1:5000/#token=a%2Bb%2Fc');
  });
});

describe('freeLoopbackPort', () => {
  it('returns a port in the TCP range', async () => {
    const port = await freeLoopbackPort();

    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65_536);
  });
});
