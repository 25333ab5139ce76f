/** Metadata keys Lokstra writes onto decorated classes (never a global store). */
export const META = {
  controller: Symbol.for('lokstra:controller'),
  routes: Symbol.for('lokstra:routes'),
  params: Symbol.for('lokstra:params'),
  props: Symbol.for('lokstra:props'),
  use: Symbol.for('lokstra:use'),
  accepts: Symbol.for('lokstra:accepts'),
  envelope: Symbol.for('lokstra:envelope'),
  handlerNames: Symbol.for('lokstra:handler-names'),
  service: Symbol.for('lokstra:service'),
  inject: Symbol.for('lokstra:inject'),
  module: Symbol.for('lokstra:module'),
  returns: Symbol.for('lokstra:returns'),
  doc: Symbol.for('lokstra:doc'),
} as const;
