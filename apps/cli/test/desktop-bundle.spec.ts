// Checks the in-sandbox bundle that `npx nx run deskvm:bundle` writes to dist/desktop. Run that target first.
import { describe, expect, it } from '@jest/globals';

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

const bundle = new URL('../dist/desktop/deskvm-desktop.mjs', import.meta.url);
const metafile = new URL('../dist/desktop-meta.json', import.meta.url);
const agentBundle = new URL('../dist/desktop/exec-agent.mjs', import.meta.url);
const agentMetafile = new URL('../dist/exec-agent-meta.json', import.meta.url);

// APIs that Node 18 (the nodejs of Debian 12) does not have, and the Node version that added each.
const NEWER_APIS: readonly [RegExp, string][] = [
  [/AbortSignal\.any\b/, '20.3'],
  [/Promise\.withResolvers\b/, '22.0'],
  [/import\.meta\.dirname\b/, '20.11'],
  [/import\.meta\.filename\b/, '20.11'],
  [/\.toSorted\(/, '20.0'],
  [/\.toReversed\(/, '20.0'],
  [/\.toSpliced\(/, '20.0'],
  [/Object\.groupBy\b/, '21.0'],
  [/Map\.groupBy\b/, '21.0'],
  [/Array\.fromAsync\b/, '22.0'],
  [/process\.getBuiltinModule\b/, '22.3'],
  [/\bstyleText\b/, '20.12'],
  [/\bopenAsBlob\b/, '19.8'],
];

async function readBundle(file = bundle): Promise<string> {
  if (!existsSync(file)) {
    throw new Error(`${file.pathname} is missing. Build it first: npx nx run deskvm:bundle`);
  }

  return readFile(file, 'utf8');
}

describe('desktop bundle', () => {
  it.each(NEWER_APIS)('does not use %s', async (pattern, version) => {
    const text = await readBundle();

    expect({ pattern: String(pattern), addedIn: version, found: pattern.test(text) }).toEqual({
      pattern: String(pattern),
      addedIn: version,
      found: false,
    });
  });

  it('contains no Docker client or VM backend', async () => {
    const meta = JSON.parse(await readFile(metafile, 'utf8')) as { inputs: Record<string, unknown> };

    const inputs = Object.keys(meta.inputs);
    expect(inputs.filter((path) => /node_modules\/(dockerode|docker-modem|ssh2)\//.test(path))).toEqual([]);
    expect(inputs.filter((path) => /packages\/vm-(native|core|wsl|qemu)\//.test(path))).toEqual([]);
  });

  it('leaves the ws add-ons out', async () => {
    const meta = JSON.parse(await readFile(metafile, 'utf8')) as { inputs: Record<string, unknown> };

    expect(Object.keys(meta.inputs).filter((path) => /bufferutil|utf-8-validate/.test(path))).toEqual([]);
  });

  it('includes the serve command sources', async () => {
    const meta = JSON.parse(await readFile(metafile, 'utf8')) as { inputs: Record<string, unknown> };

    expect(Object.keys(meta.inputs)).toEqual(expect.arrayContaining(['src/desktop-main.ts', 'src/serve/serve-command.ts']));
  });

  it('has the viewer files beside it', () => {
    for (const name of ['viewer.html', 'viewer.css', 'viewer.js', 'deskvm-player.js']) {
      expect([name, existsSync(new URL(`../dist/desktop/viewer/${name}`, import.meta.url))]).toEqual([name, true]);
    }
  });
});

describe('exec agent bundle', () => {
  it.each(NEWER_APIS)('does not use %s', async (pattern, version) => {
    const text = await readBundle(agentBundle);

    expect({ pattern: String(pattern), addedIn: version, found: pattern.test(text) }).toEqual({
      pattern: String(pattern),
      addedIn: version,
      found: false,
    });
  });

  it('imports only Node.js built-ins', async () => {
    const text = await readBundle(agentBundle);
    const specifiers = [...text.matchAll(/\bfrom\s*["']([^"']+)["']/g)].map((match) => match[1]);

    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((specifier) => !specifier?.startsWith('node:'))).toEqual([]);
  });

  it('contains only the exec channel sources', async () => {
    const meta = JSON.parse(await readFile(agentMetafile, 'utf8')) as { inputs: Record<string, unknown> };
    const inputs = Object.keys(meta.inputs);

    expect(inputs).toEqual(expect.arrayContaining(['../../packages/vm-native/src/exec-channel/agent-main.ts']));
    expect(inputs.filter((path) => !path.startsWith('../../packages/vm-native/src/exec-channel/'))).toEqual([]);
  });
});
