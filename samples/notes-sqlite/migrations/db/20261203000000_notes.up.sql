-- notes: one row per note; STRICT so a wrong type is a 400, not a silent conversion.
CREATE TABLE notes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL DEFAULT ''
) STRICT;
