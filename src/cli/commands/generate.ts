import { CliUsageError, type CliCommand } from '../io';

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'TODO',
  usage: 'generate',
  run() {
    return Promise.reject(new CliUsageError('not yet'));
  },
};
