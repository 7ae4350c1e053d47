import { VmError } from '../errors.js';
import { decompressedName, parseManifest } from './manifest.js';
import { describe, expect, it } from '@jest/globals';

const SHA = 'a'.repeat(64);

function manifestWith(files: unknown[]): unknown {
  return { version: '1', base_url: 'http://127.0.0.1:1/', files };
}

function rejection(raw: unknown): VmError {
  try {
    parseManifest(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(VmError);
    expect((error as VmError).code).toBe('VM_ERR_INVALID_MANIFEST');

    return error as VmError;
  }

  throw new Error('parseManifest accepted the manifest');
}

describe('decompressedName', () => {
  it.each([
    [{ name: 'disk.img.gz', compression: 'gzip' as const }, 'disk.img'],
    [{ name: 'disk.img.zst', compression: 'zstd' as const }, 'disk.img'],
    [{ name: 'disk.img.ZSTD', compression: 'zstd' as const }, 'disk.img'],
    [{ name: 'disk.img.zst', compression: 'gzip' as const }, 'disk.img.zst'],
    [{ name: 'disk.img.zst', compression: 'zstd' as const, decompressed_name: 'root.img' }, 'root.img'],
  ])('names the copy of %j', (file, expected) => {
    expect(decompressedName(file)).toBe(expected);
  });
});

describe('parseManifest', () => {
  it('accepts a zstd file', () => {
    const manifest = parseManifest(manifestWith([{ name: 'rootfs.tar.zst', size: 10, sha256: SHA, compression: 'zstd' }]));

    expect(manifest.files[0]?.compression).toBe('zstd');
  });

  it('rejects a zstd file whose copy keeps its name', () => {
    const error = rejection(manifestWith([{ name: 'rootfs.tar', size: 10, sha256: SHA, compression: 'zstd' }]));

    expect(error.code).toBe('VM_ERR_INVALID_MANIFEST');
    expect(error.message).toContain('decompressed_name');
  });

  it('accepts a plain manifest', () => {
    const manifest = parseManifest(manifestWith([{ name: 'rootfs.tar.gz', size: 10, sha256: SHA, compression: 'gzip' }]));

    expect(manifest.files[0]?.name).toBe('rootfs.tar.gz');
  });

  it.each(['.', '..', 'a/b', '/etc/x', 'a\0b'])('rejects decompressed_name %j', (name) => {
    const error = rejection(manifestWith([{ name: 'a.gz', size: 10, sha256: SHA, compression: 'gzip', decompressed_name: name }]));

    expect(error.message).toContain('files.0.decompressed_name');
    expect(error.message).toContain(JSON.stringify(name));
  });

  it.each(['image.json', '.download.lock', 'rootfs.part', 'rootfs.part.json', 'settings.tmp'])(
    'rejects the reserved name %j',
    (name) => {
      const error = rejection(manifestWith([{ name, size: 10, sha256: SHA }]));

      expect(error.message).toContain(JSON.stringify(name));
    },
  );

  it('rejects a reserved decompressed_name', () => {
    const error = rejection(
      manifestWith([{ name: 'a.gz', size: 10, sha256: SHA, compression: 'gzip', decompressed_name: 'image.json' }]),
    );

    expect(error.message).toContain('"image.json"');
  });

  it('rejects two files with one name', () => {
    const error = rejection(manifestWith([{ name: 'a', size: 1, sha256: SHA }, { name: 'a', size: 1, sha256: SHA }]));

    expect(error.message).toContain('"a"');
  });

  it('rejects decompressing onto a file of the manifest', () => {
    const own = rejection(manifestWith([{ name: 'A', size: 1, sha256: SHA, compression: 'gzip' }]));
    const other = rejection(
      manifestWith([
        { name: 'a.gz', size: 1, sha256: SHA, compression: 'gzip', decompressed_name: 'b' },
        { name: 'b', size: 1, sha256: SHA },
      ]),
    );

    expect(own.message).toContain('"A"');
    expect(other.message).toContain('"b"');
  });

  it('rejects a size beyond 2^53 - 1', () => {
    const error = rejection(manifestWith([{ name: 'a', size: 2 ** 80, sha256: SHA }]));

    expect(error.message).toContain('files.0.size');
  });

  it.each<[string, unknown, string]>([
    ['null manifest', null, 'the manifest must be a JSON object, but it is null'],
    ['missing version', { base_url: 'http://127.0.0.1:1/', files: [] }, 'field "version" must be a string, but it is missing'],
    ['empty version', { ...(manifestWith([{ name: 'a', size: 1, sha256: SHA }]) as object), version: '' }, 'field "version" must be a non-empty string, but it is ""'],
    ['empty file list', manifestWith([]), 'field "files" must be a list with at least 1 entry, but it is []'],
    ['negative size', manifestWith([{ name: 'a', size: -1, sha256: SHA }]), 'field "files.0.size" must be a number of at least 0, but it is -1'],
    ['fractional size', manifestWith([{ name: 'a', size: 1.5, sha256: SHA }]), 'field "files.0.size" must be an integer, but it is 1.5'],
    ['size as a string', manifestWith([{ name: 'a', size: '12', sha256: SHA }]), 'field "files.0.size" must be a number, but it is "12"'],
    [
      'size beyond 2^53 - 1',
      manifestWith([{ name: 'a', size: 2 ** 60, sha256: SHA }]),
      `field "files.0.size" must be a number of at most ${Number.MAX_SAFE_INTEGER}, but it is ${2 ** 60}`,
    ],
    ['short sha256', manifestWith([{ name: 'a', size: 1, sha256: 'ab' }]), 'field "files.0.sha256" must be 64 hexadecimal digits, but it is "ab"'],
    [
      'unknown compression',
      manifestWith([{ name: 'a', size: 1, sha256: SHA, compression: 'xz' }]),
      'field "files.0.compression" must be one of "none", "gzip", "zstd", but it is "xz"',
    ],
    [
      'folder in a name',
      manifestWith([{ name: '../x', size: 1, sha256: SHA }]),
      'field "files.0.name" must be a file name of letters, digits, ".", "_" and "-" only, without folders, but it is "../x"',
    ],
    [
      'duplicate name',
      manifestWith([{ name: 'a', size: 1, sha256: SHA }, { name: 'a', size: 1, sha256: SHA }]),
      'field "files.1.name" must be a name that no other file or decompressed copy in the manifest uses, but it is "a"',
    ],
    [
      'copy named like its file',
      manifestWith([{ name: 'A', size: 1, sha256: SHA, compression: 'gzip' }]),
      'field "files.0.decompressed_name" must be a name that no other file or decompressed copy in the manifest uses, ' +
        'but it is missing, so the copy would be named "A"',
    ],
  ])('states the rule for %s in one sentence', (_case, raw, clause) => {
    const error = rejection(raw);

    expect(error.message).toBe(`Invalid image manifest: ${clause}.`);
  });

  it('shortens a huge invalid value', () => {
    const error = rejection(manifestWith([{ name: 'a', size: 1, sha256: 'z'.repeat(10_000) }]));
    const quoted = JSON.stringify('z'.repeat(10_000)).slice(0, 100);

    expect(error.message).toBe(
      `Invalid image manifest: field "files.0.sha256" must be 64 hexadecimal digits, but it is ${quoted}... (10002 characters in all).`,
    );
  });

  it.each([
    ['ftp://127.0.0.1/', 'with the unsupported scheme "ftp:"'],
    ['javascript:alert(1)', 'with the unsupported scheme "javascript:"'],
    ['data:text/plain,x', 'with the unsupported scheme "data:"'],
    ['http:example.com/images', 'which is not a valid URL'],
    ['https://', 'which is not a valid URL'],
    // A file URL with a host is a UNC path on Windows, so this case holds on Linux and macOS only.
    ['file://server/share/images', 'which is not a local file URL'],
  ])('rejects base_url %j', (baseUrl, problem) => {
    const error = rejection({ ...(manifestWith([{ name: 'a', size: 1, sha256: SHA }]) as object), base_url: baseUrl });

    expect(error.message).toContain(
      `field "base_url" must be an http:// or https:// URL, a file:// URL or a local folder path, but it is ` +
        `${JSON.stringify(baseUrl)}, ${problem}`,
    );
  });

  it.each(['http://127.0.0.1:8080/images', 'HTTPS://example.com/x/', 'file:///srv/images', '/srv/images', 'images/v1', 'C:\\images'])(
    'accepts base_url %j',
    (baseUrl) => {
      const manifest = parseManifest({ ...(manifestWith([{ name: 'a', size: 1, sha256: SHA }]) as object), base_url: baseUrl });

      expect(manifest.base_url).toBe(baseUrl);
    },
  );

  it('names the invalid value', () => {
    const error = rejection(manifestWith([{ name: 'a', size: 1, sha256: 'z'.repeat(64) }]));

    expect(error.message).toContain(JSON.stringify('z'.repeat(64)));
  });
});
