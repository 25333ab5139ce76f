/** The user the benchmark creates; the same shape for every server. */
export interface User {
  id: number;
  name: string;
  email: string;
  age: number;
}

export interface CreateUser {
  name: string;
  email: string;
  age: number;
}

/**
 * The service every server injects (or, for node:http, just holds). Nothing is stored, so memory does
 * not grow with the number of POSTs and every server does the same work.
 */
export class UserStore {
  private seq = 0;

  find(id: number, verbose?: boolean): { id: number; verbose: boolean } {
    return { id, verbose: verbose === true };
  }

  create(data: CreateUser): User {
    return { id: ++this.seq, name: data.name, email: data.email, age: data.age };
  }
}
