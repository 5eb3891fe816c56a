-- The body compressed with lz4 where the server has it (PostgreSQL 14 and later).
DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 140000 THEN
    BEGIN
      EXECUTE 'ALTER TABLE claim_body ALTER COLUMN body SET COMPRESSION lz4';
    EXCEPTION WHEN OTHERS THEN
      NULL; -- a server built without lz4 keeps pglz
    END;
  END IF;
END $$;
