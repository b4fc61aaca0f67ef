-- Roles live in the cluster, not the database, so they are created only if missing.
-- canopy_app_rw: the group the application's login role joins (DML only, never an owner).
-- canopy_directory: owns the SECURITY DEFINER directory functions; it can read the
-- directory tables through `directory_read` policies and nothing else.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'canopy_app_rw') THEN
    CREATE ROLE canopy_app_rw NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'canopy_directory') THEN
    CREATE ROLE canopy_directory NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
