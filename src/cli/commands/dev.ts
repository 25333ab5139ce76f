import { CliUsageError, type CliCommand } from '../io';

export const devCommand: CliCommand = {
  run() {
    return Promise.reject(new CliUsageError('not yet'));
  },
};
