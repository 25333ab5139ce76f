import { IsString, MaxLength, MinLength } from 'class-validator';
import { Body, Context, Delete, Get, HttpError, Patch, Path, Post, Route, Service } from '../../src/index';

export interface Task {
  id: number;
  title: string;
  done: boolean;
}

@Service()
export class TaskService {
  private readonly tasks = new Map<number, Task>();
  private nextId = 1;

  constructor() {
    this.add('Write the docs');
    this.add('Ship it');
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
    if (!task) throw HttpError.notFound(`task ${id} not found`);
    task.done = !task.done;
    return task;
  }

  remove(id: number): void {
    this.tasks.delete(id);
  }
}

export class NewTask {
  @IsString() @MinLength(1) @MaxLength(200) title!: string;
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One list item, as the page template renders it (used for the partial swaps). */
export function taskItem(t: Task): string {
  return `<li id="task-${t.id}" class="${t.done ? 'done' : ''}"><span>${escape(t.title)}</span>`
    + ` <button hx-patch="/tasks/${t.id}/toggle" hx-target="#task-${t.id}" hx-swap="outerHTML">toggle</button>`
    + ` <button hx-delete="/tasks/${t.id}" hx-target="#task-${t.id}" hx-swap="outerHTML">delete</button></li>`;
}

@Route('/tasks')
export class TaskController {
  constructor(private readonly tasks: TaskService) {}

  @Post('/')
  add(@Body() dto: NewTask, ctx: Context) {
    return ctx.htmx(taskItem(this.tasks.add(dto.title)));
  }

  @Patch('/:id/toggle')
  toggle(@Path('id') id: number, ctx: Context) {
    return ctx.htmx(taskItem(this.tasks.toggle(id)));
  }

  @Delete('/:id')
  remove(@Path('id') id: number, ctx: Context) {
    this.tasks.remove(id);
    return ctx.htmx('');
  }
}

/** Page data of the HTMX pages: GET /page-data/<page>. */
@Route('/page-data')
export class PageDataController {
  constructor(private readonly tasks: TaskService) {}

  @Get('/index')
  index(ctx: Context) {
    return ctx.htmxPageData('Tasks', 'Your task list', { tasks: this.tasks.all() });
  }

  @Get('/stats')
  stats(ctx: Context) {
    const all = this.tasks.all();
    return ctx.htmxPageData('Stats', 'How far along you are', { total: all.length, done: all.filter((t) => t.done).length });
  }
}
