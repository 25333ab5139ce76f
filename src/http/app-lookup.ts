import { LokstraError } from '../errors/lokstra-error';
import type { AppHandle } from './app';

/** The handle of the app called `name`; an unknown name is a coded error listing the apps. */
export function appHandle(apps: readonly AppHandle[], name: string): AppHandle {
  const found = apps.find((a) => a.name === name);
  if (found === undefined) throw new LokstraError('LKS_ERR_CONFIG_APP_NOT_FOUND', { name, known: apps.map((a) => a.name).join(', ') || 'none' });
  return found;
}
