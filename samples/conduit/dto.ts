import { Type } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsOptional, IsString, MinLength, ValidateNested } from 'class-validator';

export class LoginUser {
  @IsEmail() email!: string;
  @IsString() @IsNotEmpty() password!: string;
}

export class NewUser {
  @IsString() @IsNotEmpty() username!: string;
  @IsEmail() email!: string;
  @IsString() @MinLength(8) password!: string;
}

export class UpdateUser {
  @IsOptional() @IsEmail() email?: string;
  @IsOptional() @IsString() bio?: string;
}

// Conduit wraps every request body: {"user": {…}}.
export class LoginBody {
  @ValidateNested() @Type(() => LoginUser) user!: LoginUser;
}

export class NewUserBody {
  @ValidateNested() @Type(() => NewUser) user!: NewUser;
}

export class UpdateUserBody {
  @ValidateNested() @Type(() => UpdateUser) user!: UpdateUser;
}
