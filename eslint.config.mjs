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
        paths: nodeBuiltins.map((name) => ({
          name,
          message: 'This package runs in browsers, so it must not import Node built-in modules.',
        })),
      },
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
            { sourceTag: 'scope:stream-protocol', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:gst-pipeline', onlyDependOnLibsWithTags: ['scope:stream-protocol'] },
            {
              sourceTag: 'scope:desktop-bridge',
              onlyDependOnLibsWithTags: ['scope:gst-pipeline', 'scope:stream-protocol'],
            },
            { sourceTag: 'scope:stream-client', onlyDependOnLibsWithTags: ['scope:stream-protocol'] },
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['type:lib'] },
            {
              sourceTag: 'platform:browser',
              onlyDependOnLibsWithTags: ['platform:browser', 'platform:isomorphic'],
              bannedExternalImports: nodeBuiltins,
            },
            {
              sourceTag: 'platform:isomorphic',
              onlyDependOnLibsWithTags: ['platform:isomorphic'],
              bannedExternalImports: nodeBuiltins,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
];
