export { compileParams, type ParamBinder } from './params-plan';
export { DtoPlanCache, compileDto, bindDto, type DtoPlan, type BindScope } from './dto-binder';
export { bindTarget, requireJsonBody, type BindTarget } from './bind-target';
export { FieldErrorCollector } from './errors';
export { bodyKindOf, type RequestSources, type BodyKind } from './sources';
