import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { VmError } from '../errors.js';

const SAFE_FILE_NAME = /^[A-Za-z0-9._-]+$/;

const manifestFileSchema = z.object({
  name: z
    .string()
    .regex(SAFE_FILE_NAME, 'a file name of letters, digits, ".", "_" and "-" only, without folders')
    .refine((name) => name !== '.' && name !== '..', 'a file name, not "." or ".."'),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/i, '64 hexadecimal digits'),
  compression: z.enum(['none', 'gzip', 'zstd']).optional(),
  decompressed_name: z.string().regex(SAFE_FILE_NAME).optional(),
  decompressed_size: z.number().int().nonnegative().optional(),
});

const manifestSchema = z.object({
  version: z.string().min(1),
  base_url: z.string().min(1),
  files: z.array(manifestFileSchema).min(1),
});

/** One file of an image manifest. Field names are those of the manifest's JSON. */
export type ManifestFile = z.infer<typeof manifestFileSchema>;

/**
 * An image manifest as `tools/rootfs` writes it: a version, the URL (or local folder) the files are under, and each
 * file's name, size in bytes, SHA-256 and optional compression.
 */
export type ImageManifest = z.infer<typeof manifestSchema>;

/** The source of a file: an HTTP(S) URL, or a local path. */
export type FileSource = { kind: 'http'; url: string } | { kind: 'local'; path: string };

/** Validates a parsed manifest. Raises `VM_ERR_INVALID_MANIFEST` naming the field and what it must be. */
export function parseManifest(raw: unknown): ImageManifest {
  const parsed = manifestSchema.safeParse(raw);

  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const field = issue?.path.join('.') ?? '';
    const rule = issue?.message.toLowerCase() ?? 'valid';

    throw new VmError(
      'VM_ERR_INVALID_MANIFEST',
      `Invalid image manifest: field "${field}" must be ${rule}.`,
      { cause: parsed.error },
    );
  }

  for (const file of parsed.data.files) {
    if (file.compression === 'zstd') {
      // TODO: zstd decompression. Node 20 has no zstd in node:zlib (it arrived in Node 22.15), so this needs a library.
      throw new VmError(
        'VM_ERR_INVALID_MANIFEST',
        `The manifest file "${file.name}" uses zstd compression, which this version cannot decompress yet. Use gzip or none.`,
      );
    }
  }

  return parsed.data;
}

/**
 * Resolves a file's source from the manifest's `base_url`: `http://` and `https://` give a URL, a `file://` URL or a
 * path gives a local file (a relative path is taken from `relativeTo`, default the current directory).
 */
export function resolveFileSource(manifest: ImageManifest, file: ManifestFile, relativeTo = process.cwd()): FileSource {
  const base = manifest.base_url;

  if (/^https?:\/\//i.test(base)) {
    return { kind: 'http', url: new URL(encodeURIComponent(file.name), base.endsWith('/') ? base : `${base}/`).href };
  }

  const folder = base.startsWith('file:') ? fileURLToPath(base) : isAbsolute(base) ? base : resolve(relativeTo, base);

  return { kind: 'local', path: resolve(folder, file.name) };
}
