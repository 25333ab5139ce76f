import { Module } from '../../src/index';
import { AdminController, NotesController, NotesService, TokenController, Users } from './api';
import { oidcLogin, WebController, WebPageData } from './web';

@Module({
  controllers: [TokenController, NotesController, AdminController, WebController, WebPageData],
  services: [Users, NotesService],
  handlers: { oidcLogin },
})
export class SecureApiModule {}
