// ESLint flat config (ESLint 9 + typescript-eslint 8).
//
// Deliberately NOT enabled: @typescript-eslint/consistent-type-imports. Its autofix turns
// imports of classes that are only used as constructor parameter types into `import type`,
// which erases them from the emitted code and silently breaks `emitDecoratorMetadata`
// (Inversify would then see `Object` instead of the injected class).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** The few Node.js globals used by scripts (kept here to avoid a `globals` dependency). */
const nodeGlobals = {
  console: 'readonly',
  process: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
  fetch: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setImmediate: 'readonly',
  structuredClone: 'readonly',
};
const commonjsGlobals = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
};

/**
 * Inside src/, importing the package root (`src/index.ts`) from another module creates cycles
 * and defeats tree-shaking: import from the defining module instead. The relative specifier of
 * the root index depends on the importing file's depth, so there is one block per depth
 * (`src/*.ts` → `./index`, `src/a/*.ts` → `../index`, `src/a/b/*.ts` → `../../index`, …).
 * Directory-level index files (e.g. `src/decorators/index.ts`) stay importable.
 */
const MAX_DEPTH = 8;
const rootIndexBlocks = Array.from({ length: MAX_DEPTH }, (_, depth) => {
  const up = depth === 0 ? './' : '../'.repeat(depth);
  const rootDir = depth === 0 ? '.' : up.slice(0, -1); // '.', '..', '../..'
  const specifiers = [`${up}index`, `${up}index.js`, `${up}index.ts`, rootDir, `${rootDir}/`];
  return {
    name: `lokstra/src-no-root-index/depth-${depth}`,
    files: [`src/${'*/'.repeat(depth)}*.ts`],
    ignores: depth === 0 ? ['src/index.ts'] : [],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: specifiers.map((name) => ({
            name,
            message: 'Do not import the package root (src/index.ts) from inside src/; import from the module that defines the symbol.',
          })),
        },
      ],
    },
  };
});

export default defineConfig(
  {
    name: 'lokstra/ignores',
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/**', 'test/consumer/fixtures/**', 'test/openapi/fixtures/**', '.consumer-tmp/**'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'lokstra/base',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // See the header comment: this must stay off.
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    name: 'lokstra/commonjs-scripts',
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, ...commonjsGlobals } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    name: 'lokstra/esm-scripts',
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { sourceType: 'module', globals: nodeGlobals },
  },
  ...rootIndexBlocks,
);
