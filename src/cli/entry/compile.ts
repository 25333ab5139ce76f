import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

/** How TypeScript files become JavaScript for `dev`, `routes` and `check`: SWC when the project has it, else TypeScript's transpiler. */
export interface Compiler {
  readonly name: 'swc' | 'typescript';
  /** Compiles one file; throws an Error whose message names the file and line on a syntax error. */
  compile(file: string, source: string): string;
}

/** Options of {@link createCompiler}. */
export interface CompilerOptions {
  /** The project folder (`@swc/core` and `typescript` are looked up from here first). */
  root: string;
  moduleType: 'module' | 'commonjs';
  /** Force one compiler (`LOKSTRA_COMPILER=typescript` does the same). */
  prefer?: 'swc' | 'typescript';
}

interface SwcModule { transformSync(code: string, options: Record<string, unknown>): { code: string } }
interface TsModule {
  transpileModule(src: string, o: Record<string, unknown>): { outputText: string; diagnostics?: { messageText: unknown; start?: number; file?: { getLineAndCharacterOfPosition(p: number): { line: number; character: number } } }[] };
  ModuleKind: Record<string, number>;
  ScriptTarget: Record<string, number>;
  flattenDiagnosticMessageText(m: unknown, nl: string): string;
}

function load<T>(name: string, root: string): T | undefined {
  for (const base of [join(root, 'package.json'), __filename]) {
    try {
      return createRequire(base)(name) as T;
    } catch {
      // not installed there
    }
  }
  return undefined;
}

function swcCompiler(swc: SwcModule, moduleType: CompilerOptions['moduleType']): Compiler {
  return {
    name: 'swc',
    compile: (file, source) => swc.transformSync(source, {
      filename: file,
      sourceMaps: 'inline',
      swcrc: false,
      configFile: false,
      module: { type: moduleType === 'module' ? 'es6' : 'commonjs' },
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        target: 'es2022',
        keepClassNames: true,
        // Lokstra reads constructor and property types from decorator metadata (as tsc emits it).
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      },
    }).code,
  };
}

function tsCompiler(ts: TsModule, moduleType: CompilerOptions['moduleType']): Compiler {
  return {
    name: 'typescript',
    compile: (file, source) => {
      const out = ts.transpileModule(source, {
        fileName: file,
        reportDiagnostics: true,
        compilerOptions: {
          module: moduleType === 'module' ? ts.ModuleKind.ES2022 : ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          experimentalDecorators: true, emitDecoratorMetadata: true, useDefineForClassFields: false,
          esModuleInterop: true, inlineSourceMap: true,
        },
      });
      const first = out.diagnostics?.[0];
      if (first !== undefined) {
        const pos = first.start !== undefined && first.file ? first.file.getLineAndCharacterOfPosition(first.start) : undefined;
        throw new Error(`${file}${pos ? `:${pos.line + 1}:${pos.character + 1}` : ''}: ${ts.flattenDiagnosticMessageText(first.messageText, '\n')}`);
      }
      return out.outputText;
    },
  };
}

/** SWC (`@swc/core`, fastest) when installed, TypeScript's `transpileModule` otherwise; both emit decorator metadata. */
export function createCompiler(options: CompilerOptions): Compiler {
  const prefer = options.prefer ?? (process.env.LOKSTRA_COMPILER === 'typescript' ? 'typescript' : 'swc');
  if (prefer === 'swc') {
    const swc = load<SwcModule>('@swc/core', options.root);
    if (swc !== undefined) return swcCompiler(swc, options.moduleType);
  }
  const ts = load<TsModule>('typescript', options.root);
  if (ts === undefined) throw new Error(`neither @swc/core nor typescript is installed in ${options.root} (npm install --save-dev @swc/core)`);
  return tsCompiler(ts, options.moduleType);
}

const SKIP = new Set(['node_modules', 'dist', '.lokstra', '.git', 'coverage']);

/** The `.ts` files under `dir` (not `.d.ts`, not tests), skipping node_modules, dist and .lokstra. */
export function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP.has(e.name) && !e.name.startsWith('.')) out.push(...listSources(join(dir, e.name)));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !/\.(test|spec)\.ts$/.test(e.name)) {
      out.push(join(dir, e.name));
    }
  }
  return out;
}

/** Where a source file's JavaScript goes: `<outDir>/<path relative to root>.js`. */
export function outputPath(root: string, outDir: string, file: string): string {
  return join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
}

/** One file that did not compile. */
export interface CompileFailure {
  file: string;
  message: string;
}

/** Compiles `files` into `outDir` (mirroring their path under `root`); returns the failures, one per file. */
export function compileInto(compiler: Compiler, files: string[], dirs: { root: string; outDir: string }): CompileFailure[] {
  const errors: CompileFailure[] = [];
  for (const file of files) {
    const target = outputPath(dirs.root, dirs.outDir, file);
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      rmSync(target, { force: true }); // deleted since
      continue;
    }
    try {
      const js = compiler.compile(file, source);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, js);
    } catch (err) {
      // SWC appends "Caused by:" and a native stack backtrace to the code frame; the frame is what helps.
      const message = ((err as Error).message || String(err)).split(/\n\s*\nCaused by:/)[0] as string;
      errors.push({ file, message: message.trimEnd().split(sep).join('/') });
    }
  }
  return errors;
}
