import { Body, Context, Get, Path, Post, Query, Route } from 'lokstra';
import { CreateNoteDto } from './note.dto.js';
import { NoteService } from './note.service.js';

@Route('/notes')
export class NoteController {
  constructor(private readonly notes: NoteService) {}

  @Get('/')
  list(@Query('limit') limit?: number) {
    return this.notes.list(Math.min(limit ?? 50, 200));
  }

  @Get('/:id')
  async get(@Path('id') id: number, ctx: Context) {
    const { note, cached } = await this.notes.get(id);
    return ctx.ok(note).withHeader('x-cache', cached ? 'hit' : 'miss');
  }

  @Post('/')
  async create(@Body() dto: CreateNoteDto, ctx: Context) {
    return ctx.okCreated(await this.notes.create(dto));
  }
}
