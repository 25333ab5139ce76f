import { splitSql } from '../../src/db/migrate/split-sql';

describe('splitSql (migration files → one statement per pool call)', () => {
  it('splits on ; outside quotes, comments and dollar quotes, with each statement\'s line', () => {
    const script = "-- header\nCREATE TABLE a (x text DEFAULT 'a;b');\n\n/* c; */ INSERT INTO a VALUES ('it''s;');\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\nSELECT \"we;ird\" FROM a";
    expect(splitSql(script, 'postgres')).toEqual([
      { sql: "-- header\nCREATE TABLE a (x text DEFAULT 'a;b')", line: 2 },
      { sql: "/* c; */ INSERT INTO a VALUES ('it''s;')", line: 4 },
      { sql: 'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql', line: 5 },
      { sql: 'SELECT "we;ird" FROM a', line: 6 },
    ]);
  });

  it('keeps a trigger body (BEGIN … END) whole, and honours MariaDB backslash escapes and # comments', () => {
    expect(splitSql('CREATE TRIGGER t AFTER INSERT ON x BEGIN\n  UPDATE x SET v = 1;\n  UPDATE x SET v = 2;\nEND;\nSELECT 1;', 'sqlite').map((s) => s.line)).toEqual([1, 5]);
    expect(splitSql("INSERT INTO t VALUES ('a\\';b'); # note;\nSELECT `c;d` FROM t;", 'mysql')).toEqual([
      { sql: "INSERT INTO t VALUES ('a\\';b')", line: 1 },
      { sql: '# note;\nSELECT `c;d` FROM t', line: 2 },
    ]);
  });

  it('drops empty and comment-only statements', () => {
    expect(splitSql(';;\n-- only a comment;\n', 'sqlite')).toEqual([]);
  });
});
