import { readFileSync, statSync } from 'node:fs';
import { LokstraError } from '../errors/lokstra-error';
import { registerSecretValue } from '../internal/redact-text';

/**
 * The `${file:/run/secrets/x}` resolver: the file's contents, trimmed (Docker and Kubernetes secrets
 * end with a newline). A missing or unreadable file is `LKS_ERR_CONFIG_SECRET_FILE` (naming the file,
 * never its contents); a file other users may read draws one process warning. The value is
 * registered for redaction, so logs, error messages and `lokstra config print` never show it.
 */
export function readSecretFile(file: string): string {
  let text: string;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new Error('not a regular file');
    if (process.platform !== 'win32' && (st.mode & 0o004) !== 0) {
      process.emitWarning(`secret file ${file} is readable by every user (mode ${(st.mode & 0o777).toString(8)}); chmod 600 or 640`, { code: 'LOKSTRA_SECRET_FILE_MODE' });
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LokstraError('LKS_ERR_CONFIG_SECRET_FILE', { file, path: '{path}', detail: (err as { code?: string }).code ?? (err as Error).message });
  }
  const value = text.trim();
  registerSecretValue(value);
  return value;
}
