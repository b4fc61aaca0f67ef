-- Load by tenant (server/observability/tenant-load.ts): per tenant and minute, the calls served, how
-- many failed, a histogram of their durations (for the p95) and the time they held a database
-- transaction. Each app server adds its own counts here every few seconds in one upsert; the
-- platform admin console reads the last hour. Its own schema and group role, as rate_limit (0020):
-- a login made a member of canopy_telemetry alone (TELEMETRY_DATABASE_URL) reaches these counters
-- and nothing else. The rows are numbers about a tenant, never its data, so no RLS: only the
-- telemetry group and the platform admin's reader function see them.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'canopy_telemetry') THEN
    CREATE ROLE canopy_telemetry NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;--> statement-breakpoint
CREATE SCHEMA "telemetry";--> statement-breakpoint
REVOKE ALL ON SCHEMA "telemetry" FROM PUBLIC;--> statement-breakpoint
CREATE TABLE "telemetry"."tenant_load" (
  "tenant_id" uuid NOT NULL,
  "minute" timestamptz NOT NULL,
  "requests" integer NOT NULL DEFAULT 0,
  "errors" integer NOT NULL DEFAULT 0,
  "duration_ms" double precision NOT NULL DEFAULT 0,
  "db_ms" double precision NOT NULL DEFAULT 0,
  -- Counts of calls per duration bucket; the bounds live in the code (TENANT_LOAD_BUCKETS_MS).
  "duration_buckets" integer[] NOT NULL,
  CONSTRAINT "tenant_load_pkey" PRIMARY KEY ("tenant_id", "minute"),
  CONSTRAINT "tenant_load_minute_check" CHECK (date_trunc('minute', "minute") = "minute")
) WITH (fillfactor = 80);--> statement-breakpoint
-- The last hour across tenants, and the retention sweep (older than 24 hours).
CREATE INDEX "tenant_load_minute_idx" ON "telemetry"."tenant_load" ("minute");--> statement-breakpoint
GRANT USAGE ON SCHEMA "telemetry" TO canopy_telemetry;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "telemetry"."tenant_load" TO canopy_telemetry;--> statement-breakpoint
GRANT canopy_telemetry TO canopy_app_rw;--> statement-breakpoint

-- The console names the tenants it lists: directory rows (id, slug, name) of the ids asked for,
-- for platform admins only, like the other app_admin_* functions (0008).
CREATE FUNCTION public.app_admin_tenant_names(p_ids uuid[])
RETURNS TABLE (id uuid, slug text, name text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
#variable_conflict use_column
BEGIN
  PERFORM public.app_admin_assert();
  RETURN QUERY SELECT t.id, t.slug, t.name FROM public.tenants t WHERE t.id = ANY (p_ids);
END
$$;--> statement-breakpoint
GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_tenant_names(uuid[]) OWNER TO canopy_directory;--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM canopy_directory;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_admin_tenant_names(uuid[]) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_admin_tenant_names(uuid[]) TO canopy_app_rw;
