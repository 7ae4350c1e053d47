import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { engineAddresses, engineConnectionOptions } from './engine-address.js';
import { isNativeError } from './errors.js';

async function rejectionMessage(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );

  expect(isNativeError(error, 'NATIVE_ERR_ENGINE_ADDRESS')).toBe(true);

  return (error as Error).message;
}

describe('engineAddresses', () => {
  it('uses DOCKER_HOST alone', () => {
    expect(engineAddresses({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toEqual(['tcp://127.0.0.1:2375']);
  });

  it.each([{}, { DOCKER_HOST: '' }, { DOCKER_HOST: '  ' }])('falls back to the sockets for %j', (env) => {
    expect(engineAddresses(env)).toEqual(['unix:///var/run/docker.sock', 'unix:///run/deskvm/docker.sock']);
  });
});

describe('engineConnectionOptions', () => {
  it('parses a unix socket', async () => {
    const options = await engineConnectionOptions('unix:///run/x/docker.sock', {});

    expect(options.socketPath).toBe('/run/x/docker.sock');
    expect(options.host).toBeUndefined();
    expect('host' in options).toBe(true);
  });

  it('parses tcp as plain HTTP', async () => {
    const options = await engineConnectionOptions('tcp://127.0.0.1:2375', {});

    expect(options).toMatchObject({ host: '127.0.0.1', port: 2375, protocol: 'http' });
    expect(options.socketPath).toBeUndefined();
  });

  it('strips IPv6 brackets', async () => {
    expect((await engineConnectionOptions('tcp://[::1]:2375', {})).host).toBe('::1');
  });

  it('reads TLS files from DOCKER_CERT_PATH', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'deskvm-tls-'));

    try {
      for (const name of ['ca.pem', 'cert.pem', 'key.pem']) {
        await writeFile(join(folder, name), `${name} content`);
      }

      const options = await engineConnectionOptions('tcp://127.0.0.1:2376', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: folder });

      expect(options.protocol).toBe('https');
      expect(String(options.ca)).toBe('ca.pem content');
      expect(String(options.cert)).toBe('cert.pem content');
      expect(String(options.key)).toBe('key.pem content');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('names a missing TLS file', async () => {
    const message = await rejectionMessage(
      engineConnectionOptions('tcp://127.0.0.1:2376', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexistent/certs' }),
    );

    expect(message).toContain('/nonexistent/certs/ca.pem');
    expect(message).toContain('DOCKER_CERT_PATH');
  });

  it.each([
    ['npipe:////./pipe/docker_engine', 'the scheme "npipe" is not supported on Linux'],
    ['ssh://user@127.0.0.1', 'the scheme "ssh" is not supported on Linux'],
    ['127.0.0.1:2375', 'it needs a scheme'],
    ['unix://relative.sock', 'absolute socket path'],
    ['tcp://127.0.0.1', 'tcp://<host>:<port>'],
    ['tcp://127.0.0.1:2375/path', 'tcp://<host>:<port>'],
  ])('rejects %s', async (address, reason) => {
    const message = await rejectionMessage(engineConnectionOptions(address, {}));

    expect(message).toContain(JSON.stringify(address));
    expect(message).toContain(reason);
  });
});
