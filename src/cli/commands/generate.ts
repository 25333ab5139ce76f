import { CliUsageError, type CliCommand } from '../io';

export const generateCommand: CliCommand = {
  run() {
    return Promise.reject(new CliUsageError('not yet'));
  },
};
