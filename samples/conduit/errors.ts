import type { ErrorFormatter } from '../../src/index';

/**
 * The RealWorld "Conduit" error shape: `{"errors":{"<field>":["<message>"]}}`. Validation errors
 * keep their field paths (the scope's `validation_status: 422` sets their status); every other
 * error — HttpError, 401, unmatched 404/405, malformed JSON, unexpected 500 — lands under `body`.
 */
export const conduitErrors: ErrorFormatter = (error) => ({
  status: error.status,
  body: { errors: error.kind === 'validation' && error.fields !== undefined ? error.fields : { body: [error.message] } },
});
