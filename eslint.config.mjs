import { builtinModules } from 'node:module';
import nx from '@nx/eslint-plugin';

// Every Node built-in module, bare and with the "node:" prefix. Browser and isomorphic packages may import none.
const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/**
 * Rules for packages that run in browsers (stream-client, stream-protocol): no Node built-in module, whatever the
 * import form. Each such package adds this to its own eslint.config.mjs.
 */
export const browserOnly = {
  files: ['src/**/*.ts'],
  ignores: ['**/*.spec.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [
          ...nodeBuiltins.map((name) => ({
            name,
            message: 'This package runs in browsers, so it must not import Node built-in modules.',
          })),
          { name: '@deskvm/testing', message: 'Only tests may import the private test helpers.' },
        ],
      },
    ],
  },
};

/** Library and app sources may not import the private test helpers; only their tests do. */
const noTestHelpersInSources = {
  files: ['**/src/**/*.ts'],
  ignores: ['**/*.spec.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      { paths: [{ name: '@deskvm/testing', message: 'Only tests may import the private test helpers.' }] },
    ],
  },
};

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/node_modules', '**/.nx', '**/test-output'],
  },
  {
    files: ['**/src/**/*.ts', '**/test/**/*.ts', '**/scripts/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:lib', notDependOnLibsWithTags: ['type:app'] },
            { sourceTag: 'scope:stream-protocol', onlyDependOnLibsWithTags: ['scope:testing'] },
            { sourceTag: 'scope:gst-pipeline', onlyDependOnLibsWithTags: ['scope:stream-protocol', 'scope:testing'] },
            {
              sourceTag: 'scope:desktop-bridge',
              onlyDependOnLibsWithTags: ['scope:gst-pipeline', 'scope:stream-protocol', 'scope:testing'],
            },
            { sourceTag: 'scope:stream-client', onlyDependOnLibsWithTags: ['scope:stream-protocol', 'scope:testing'] },
            {
              // The core every VM backend implements: it imports no other deskvm package, so no backend either, and
              // none of the libraries that belong to one backend (Docker engine, SSH).
              sourceTag: 'scope:vm-core',
              onlyDependOnLibsWithTags: ['scope:testing'],
              bannedExternalImports: ['dockerode', 'ssh2', 'node-ssh'],
            },
            {
              // The Linux backend: vm-core and the Docker engine's client, nothing of the other backends.
              sourceTag: 'scope:vm-native',
              onlyDependOnLibsWithTags: ['scope:vm-core', 'scope:testing'],
              bannedExternalImports: ['ssh2', 'node-ssh'],
            },
            { sourceTag: 'scope:rootfs', onlyDependOnLibsWithTags: ['scope:vm-core', 'scope:testing'] },
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
            { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: [] },
            {
              sourceTag: 'platform:browser',
              onlyDependOnLibsWithTags: ['platform:browser', 'platform:isomorphic', 'type:testing'],
              bannedExternalImports: nodeBuiltins,
            },
            {
              sourceTag: 'platform:isomorphic',
              onlyDependOnLibsWithTags: ['platform:isomorphic', 'type:testing'],
              bannedExternalImports: nodeBuiltins,
            },
          ],
        },
      ],
    },
  },
  noTestHelpersInSources,
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
];
