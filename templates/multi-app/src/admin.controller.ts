import { Get, Route } from 'lokstra';
import { ItemService } from './item.service.js';

@Route('/admin')
export class AdminController {
  constructor(private readonly items: ItemService) {}

  @Get('/stats')
  stats() {
    return { items: this.items.all().length };
  }
}
