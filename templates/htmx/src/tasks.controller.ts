import { IsString, MaxLength, MinLength } from 'class-validator';
import { Body, Context, Get, Patch, Path, Post, Route } from 'lokstra';
import { TaskService, type Task } from './task.service.js';

export class NewTask {
  @IsString() @MinLength(1) @MaxLength(200) title!: string;
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One list item, as web/pages/index.html renders it (for the partial swaps). */
export function taskItem(t: Task): string {
  return `<li id="task-${t.id}" class="${t.done ? 'done' : ''}"><span>${escape(t.title)}</span>`
    + ` <button hx-patch="/tasks/${t.id}/toggle" hx-target="#task-${t.id}" hx-swap="outerHTML">toggle</button></li>`;
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
}

/** Data of the pages in web/pages: GET /page-data/<page>. */
@Route('/page-data')
export class PageDataController {
  constructor(private readonly tasks: TaskService) {}

  @Get('/index')
  index(ctx: Context) {
    return ctx.htmxPageData('Tasks', 'Your task list', { tasks: this.tasks.all() });
  }
}
