import { defineModule } from '../../src/index';
import { conduitErrors } from './errors';
import { UsersController, UserStore } from './users';

export const conduit = defineModule({
  name: 'conduit',
  controllers: [UsersController],
  services: [UserStore],
  handlers: { 'conduit.errors': conduitErrors },
});
