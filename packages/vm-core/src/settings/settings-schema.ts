import { z } from 'zod';

/** The backends a user may choose; `auto` picks the platform's own. */
export const BACKEND_CHOICES = ['auto', 'native', 'wsl', 'qemu'] as const;

/** The schema of the settings file. Every key has a default, so a missing key or a missing file is valid. */
export const settingsSchema = z
  .object({
    /** The backend that runs the sandbox. */
    backend: z.enum(BACKEND_CHOICES).default('auto'),
    /** Virtual CPUs of the VM. */
    cpus: z.number().int().min(1).max(256).default(2),
    /** Memory of the VM in MiB. */
    memoryMiB: z.number().int().min(1024).max(1_048_576).default(4096),
    /** Size of the VM's data disk in GiB. Only grows. */
    diskGiB: z.number().int().min(8).max(65_536).default(64),
    /** Host port of the desktop bridge on 127.0.0.1; 0 picks a free port at each start. */
    bridgePort: z.number().int().min(0).max(65_535).default(0),
    /** Start the sandbox when the desktop app starts. */
    autoStart: z.boolean().default(false),
    /** URL or local path of the image manifest; empty means the release's own. */
    imageManifest: z.string().default(''),
  })
  .strict();

/** The settings with every key filled. */
export type Settings = z.infer<typeof settingsSchema>;

/** The keys whose change takes effect only after the VM restarts. */
export const RESTART_KEYS: ReadonlySet<keyof Settings> = new Set<keyof Settings>([
  'backend',
  'cpus',
  'memoryMiB',
  'diskGiB',
  'bridgePort',
]);
