/** The versions a generated project starts with (the ones Lokstra is built and tested with). */
export const PROJECT_DEPENDENCIES = {
  'class-transformer': '^0.5.1',
  'class-validator': '^0.15.1',
  'reflect-metadata': '^0.2.2',
} as const;

export const PROJECT_DEV_DEPENDENCIES = {
  '@swc/core': '^1.16.22',
  '@types/jest': '^30.0.0',
  '@types/node': '^20.19.0',
  jest: '^30.2.0',
  'ts-jest': '^29.4.15',
  typescript: '~5.9.3',
} as const;

/** package.json of a generated project. */
export function projectPackageJson(name: string, moduleType: 'esm' | 'cjs', lokstraSpec: string): string {
  const pkg = {
    name,
    version: '0.1.0',
    private: true,
    type: moduleType === 'esm' ? 'module' : 'commonjs',
    engines: { node: '>=20.19' },
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      start: 'tsc -p tsconfig.build.json && node dist/main.js',
      dev: 'lokstra dev',
      test: 'jest',
      typecheck: 'tsc --noEmit',
    },
    lokstra: { entry: 'src/main.ts' },
    dependencies: { lokstra: lokstraSpec, ...PROJECT_DEPENDENCIES },
    devDependencies: { ...PROJECT_DEV_DEPENDENCIES },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** tsconfig.json of a generated project: strict, with the two decorator flags Lokstra needs. */
export function projectTsconfig(moduleType: 'esm' | 'cjs'): string {
  const compilerOptions = {
    target: 'ES2022',
    lib: ['ES2022'],
    ...(moduleType === 'esm' ? { module: 'nodenext', moduleResolution: 'nodenext' } : { module: 'commonjs', moduleResolution: 'node', esModuleInterop: true }),
    strict: true,
    // Lokstra reads constructor and property types from the metadata TypeScript emits for decorators.
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    useDefineForClassFields: false,
    skipLibCheck: true,
    noEmit: true,
    types: ['node', 'jest'],
  };
  return `${JSON.stringify({ compilerOptions, include: ['src', 'test'] }, null, 2)}\n`;
}
