import { Get, Path, Route } from 'lokstra';
import { GreetingService } from './greeting.service.js';

@Route('/hello')
export class HelloController {
  constructor(private readonly greetings: GreetingService) {}

  @Get('/')
  index() {
    return { message: this.greetings.greet('world') };
  }

  @Get('/:name')
  greet(@Path('name') name: string) {
    return { message: this.greetings.greet(name) };
  }
}
