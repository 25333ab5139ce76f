import { Service } from 'lokstra';

@Service()
export class GreetingService {
  greet(name: string): string {
    return `Hello, ${name}!`;
  }
}
