import { Type } from 'class-transformer';
import { IsInt, ValidateNested } from 'class-validator';

// A second class named `Tag` (stress-dtos.ts has the first): the document must keep them apart.
export class Tag {
  @IsInt() weight!: number;
}

export class Weighted {
  @ValidateNested() @Type(() => Tag) tag!: Tag;
}
