import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { VmError } from '../errors.js';

const SAFE_FILE_NAME = /^[A-Za-z0-9._-]+$/;

/** The file that registers a complete, verified image in its folder. It is written last. */
export const IMAGE_RECORD_NAME = 'image.json';

/** The lock file that stops two processes from downloading into the same folder at once. */
export const DOWNLOAD_LOCK_NAME = '.download.lock';

// The download writes NAME.part and NAME.part.json, and atomic writes use NAME.PID.RANDOM.tmp, so a file of the
// manifest with one of these names or suffixes would overwrite the downloader's own files.
const RESERVED_NAMES = new Set([IMAGE_RECORD_NAME, DOWNLOAD_LOCK_NAME]);
const RESERVED_SUFFIXES = ['.part', '.part.json', '.tmp'];

const fileNameSchema = z
  .string()
  .regex(SAFE_FILE_NAME, 'a file name of letters, digits, ".", "_" and "-" only, without folders')
  .refine((name) => name !== '.' && name !== '..', 'a file name, not "." or ".."')
  .refine(
    (name) => !RESERVED_NAMES.has(name) && !RESERVED_SUFFIXES.some((suffix) => name.endsWith(suffix)),
    `a name other than ${[...RESERVED_NAMES].join(' and ')}, not ending in ${RESERVED_SUFFIXES.join(', ')}`,
  );

const manifestFileSchema = z.object({
  name: fileNameSchema,
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  sha256: z.string().regex(/^[0-9a-f]{64}$/i, '64 hexadecimal digits'),
  compression: z.enum(['none', 'gzip', 'zstd']).optional(),
  decompressed_name: fileNameSchema.optional(),
  decompressed_size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
});

const BASE_URL_RULE = 'an http:// or https:// URL, a file:// URL or a local folder path';

// A URL scheme as RFC 3986 defines it. A one-letter scheme is a Windows drive letter, as in C:\images.
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

function checkBaseUrl(base: string, context: z.RefinementCtx): void {
  const scheme = SCHEME.exec(base)?.[1]?.toLowerCase();
  let problem: string | undefined;

  if (scheme === undefined || scheme.length === 1) {
    return;
  }

  if (scheme === 'http' || scheme === 'https') {
    problem = /^https?:\/\/[^/?#]/i.test(base) && URL.canParse(base) ? undefined : 'which is not a valid URL';
  } else if (scheme === 'file') {
    problem = fileUrlProblem(base);
  } else {
    problem = `with the unsupported scheme "${scheme}:"`;
  }

  if (problem !== undefined) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      message: BASE_URL_RULE,
      params: { actual: `${quoteValue(base)}, ${problem}` },
    });
  }
}

function fileUrlProblem(base: string): string | undefined {
  try {
    fileURLToPath(base);

    return undefined;
  } catch (error) {
    return `which is not a local file URL (${(error as Error).message.replace(/\.$/, '')})`;
  }
}

const manifestSchema = z
  .object({
    version: z.string().min(1),
    base_url: z.string().min(1).superRefine(checkBaseUrl),
    files: z.array(manifestFileSchema).min(1),
  })
  .superRefine((manifest, context) => {
    // Every file the download writes (the files and their decompressed copies) needs a name of its own.
    const written = new Set<string>();

    manifest.files.forEach((file, index) => {
      const outputs: Array<[string, string]> = [[file.name, 'name']];

      if (file.compression === 'gzip' || file.compression === 'zstd') {
        outputs.push([decompressedName(file), 'decompressed_name']);
      }

      for (const [name, field] of outputs) {
        if (written.has(name)) {
          // Without decompressed_name, the copy's name comes from the file name, so the message names the result.
          const derived = field === 'decompressed_name' && file.decompressed_name === undefined;

          context.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['files', index, field],
            message: 'a name that no other file or decompressed copy in the manifest uses',
            params: { actual: derived ? `missing, so the copy would be named ${JSON.stringify(name)}` : JSON.stringify(name) },
          });
        }

        written.add(name);
      }
    });
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

/** Validates a parsed manifest. Raises `VM_ERR_INVALID_MANIFEST` naming the field, its value and the rule. */
export function parseManifest(raw: unknown): ImageManifest {
  const parsed = manifestSchema.safeParse(raw);

  if (!parsed.success) {
    const issue = parsed.error.issues[0] ?? { code: z.ZodIssueCode.custom, path: [], message: 'valid' };

    throw new VmError('VM_ERR_INVALID_MANIFEST', `Invalid image manifest: ${describeManifestIssue(issue, raw)}.`, {
      cause: parsed.error,
    });
  }

  return parsed.data;
}

/** Returns one clause naming the field, the rule it breaks and its value, such as `field "files.0.size" must be ...`. */
function describeManifestIssue(issue: z.ZodIssue, raw: unknown): string {
  const subject = issue.path.length === 0 ? 'the manifest' : `field "${issue.path.join('.')}"`;
  const value = issue.path.reduce<unknown>((parent, key) => (parent as Record<string | number, unknown> | undefined)?.[key], raw);
  // A custom rule may name the value the download would use, such as a decompressed copy's derived name.
  const params = issue.code === z.ZodIssueCode.custom ? (issue.params as { actual?: string } | undefined) : undefined;
  const actual = params?.actual ?? (value === undefined ? 'missing' : quoteValue(value));

  return `${subject} must be ${describeRule(issue)}, but it is ${actual}`;
}

function describeRule(issue: z.ZodIssue): string {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      return TYPE_NAMES[issue.expected] ?? `of type ${issue.expected}`;
    case z.ZodIssueCode.too_small:
      if (issue.type === 'string') {
        return 'a non-empty string';
      }

      if (issue.type === 'array') {
        return `a list with at least ${String(issue.minimum)} ${issue.minimum === 1 ? 'entry' : 'entries'}`;
      }

      return `a number ${issue.inclusive ? 'of at least' : 'greater than'} ${String(issue.minimum)}`;
    case z.ZodIssueCode.too_big:
      return `a number ${issue.inclusive ? 'of at most' : 'less than'} ${String(issue.maximum)}`;
    case z.ZodIssueCode.invalid_enum_value:
      return `one of ${issue.options.map((option) => JSON.stringify(option)).join(', ')}`;
    default:
      // The schema's regex and custom rules carry their own wording, such as "64 hexadecimal digits".
      return issue.message;
  }
}

const TYPE_NAMES: Partial<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  object: 'a JSON object',
  array: 'a list (JSON array)',
};

/** Returns the value as JSON, cut after 100 characters and followed by its length, so a huge value cannot flood the message. */
function quoteValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);

  return text.length > 100 ? `${text.slice(0, 100)}... (${text.length} characters in all)` : text;
}

/** Whether `base_url` names local files (a path or a `file://` URL) rather than an `http(s)://` URL. */
export function isLocalBaseUrl(baseUrl: string): boolean {
  return !/^https?:\/\//i.test(baseUrl);
}

/**
 * Resolves a file's source from the manifest's `base_url`: `http://` and `https://` give a URL, a `file://` URL or a
 * path gives a local file (a relative path is taken from `relativeTo`, default the current directory).
 */
export function resolveFileSource(manifest: ImageManifest, file: ManifestFile, relativeTo = process.cwd()): FileSource {
  const base = manifest.base_url;

  if (!isLocalBaseUrl(base)) {
    return { kind: 'http', url: new URL(encodeURIComponent(file.name), base.endsWith('/') ? base : `${base}/`).href };
  }

  const folder = /^file:/i.test(base) ? fileURLToPath(base) : isAbsolute(base) ? base : resolve(relativeTo, base);

  return { kind: 'local', path: resolve(folder, file.name) };
}

/**
 * Returns the name of a compressed file's decompressed copy: `decompressed_name`, else the name without its `.gz`
 * (gzip) or `.zst` or `.zstd` (zstd) suffix.
 */
export function decompressedName(file: Pick<ManifestFile, 'name' | 'decompressed_name' | 'compression'>): string {
  const suffix = file.compression === 'zstd' ? /\.(zst|zstd)$/i : /\.gz$/i;

  return file.decompressed_name ?? file.name.replace(suffix, '');
}
