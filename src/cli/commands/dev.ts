import { CliUsageError, type CliCommand } from '../io';

export const devCommand: CliCommand = {
  name: 'dev',
  summary: 'TODO',
  usage: 'dev',
  run() {
    return Promise.reject(new CliUsageError('not yet'));
  },
};
