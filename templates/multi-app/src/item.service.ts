import { Service } from 'lokstra';

export interface Item {
  id: number;
  name: string;
}

/** Items in memory, shared by both apps of the process. */
@Service()
export class ItemService {
  private readonly items: Item[] = [{ id: 1, name: 'first item' }];

  all(): Item[] {
    return [...this.items];
  }

  add(name: string): Item {
    const item = { id: this.items.length + 1, name };
    this.items.push(item);
    return item;
  }
}
