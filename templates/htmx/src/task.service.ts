import { HttpError, Service } from 'lokstra';

export interface Task {
  id: number;
  title: string;
  done: boolean;
}

/** Tasks in memory (replace with a database service when you need one). */
@Service()
export class TaskService {
  private readonly tasks = new Map<number, Task>();
  private nextId = 1;

  constructor() {
    this.add('Try the HTMX page');
  }

  all(): Task[] {
    return [...this.tasks.values()];
  }

  add(title: string): Task {
    const task = { id: this.nextId++, title, done: false };
    this.tasks.set(task.id, task);
    return task;
  }

  toggle(id: number): Task {
    const task = this.tasks.get(id);
    if (task === undefined) throw HttpError.notFound(`task ${id} not found`);
    task.done = !task.done;
    return task;
  }
}
