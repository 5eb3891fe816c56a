-- Claim bodies (the claim's JSON, 1–3 kB) are compressed in the row with lz4 where the server
-- has it (PostgreSQL 14 and later): a build of 100,000 claims otherwise writes ~190 MB of JSON,
-- more WAL than the default max_wal_size, and checkpoints slow every later insert.
DO $$
BEGIN
  ALTER TABLE claim ALTER COLUMN body SET STORAGE MAIN;
  ALTER TABLE claim SET (toast_tuple_target = 128);
  IF current_setting('server_version_num')::int >= 140000 THEN
    BEGIN
      EXECUTE 'ALTER TABLE claim ALTER COLUMN body SET COMPRESSION lz4';
    EXCEPTION WHEN OTHERS THEN
      NULL; -- a server built without lz4 keeps pglz
    END;
  END IF;
END $$;
