export { Route, Get, Post, Put, Patch, Delete, Head, Options, All, Use, Accepts, Raw, Handler } from './route';
export { Path, Query, Header, Body, Bind, Ctx } from './params';
export { Service, Inject, type ServiceOptions } from './service';
export { Module, defineModule, isDefinedModule } from './module';
export { createParamDecorator } from './custom-param';
export { Returns, Doc, type ReturnsOptions } from './openapi';
