import { CliUsageError, type CliCommand } from '../io';

export const newCommand: CliCommand = {
  name: 'new',
  summary: 'TODO',
  usage: 'new',
  run() {
    return Promise.reject(new CliUsageError('not yet'));
  },
};
