ALTER TABLE "tenants" ADD CONSTRAINT "tenants_plan_check" CHECK ("tenants"."plan" in ('free', 'pro', 'enterprise'));--> statement-breakpoint

-- Shared API budgets (server/rate-limit.ts, rate-limiter-flexible's PostgreSQL store): one row per
-- budget key, so every app server spends from the same bucket. Its own schema and group role: the
-- grants that reach it reach nothing else, and the role that uses it needs no CREATE right (the
-- library is told the table exists). Keys name tenants, sessions and client addresses, never tenant
-- data, so the table has no tenant_id and no RLS. UNLOGGED: no WAL for a row written on every API
-- call; after a crash or a failover the budgets start full, which only forgives a few seconds.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'canopy_rate_limit') THEN
    CREATE ROLE canopy_rate_limit NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;--> statement-breakpoint
CREATE SCHEMA "rate_limit";--> statement-breakpoint
REVOKE ALL ON SCHEMA "rate_limit" FROM PUBLIC;--> statement-breakpoint
-- Column names, order and types are the library's (its upsert inserts positionally).
CREATE UNLOGGED TABLE "rate_limit"."buckets" (
  "key" varchar(255) PRIMARY KEY,
  "points" integer NOT NULL DEFAULT 0,
  "expire" bigint
) WITH (fillfactor = 70);--> statement-breakpoint
-- The library's sweep deletes rows that expired an hour ago, every 5 minutes per limiter.
CREATE INDEX "buckets_expire_idx" ON "rate_limit"."buckets" ("expire");--> statement-breakpoint
GRANT USAGE ON SCHEMA "rate_limit" TO canopy_rate_limit;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "rate_limit"."buckets" TO canopy_rate_limit;--> statement-breakpoint
-- The app's login role holds the budgets through its group; a login made a member of
-- canopy_rate_limit alone (RATE_LIMIT_DATABASE_URL) can reach the budgets and nothing else.
GRANT canopy_rate_limit TO canopy_app_rw;--> statement-breakpoint

-- The directory answers with the plan too (its API budget): return type changes, drop and re-create.
DROP FUNCTION public.app_tenant_by_slug(text);--> statement-breakpoint
DROP FUNCTION public.app_tenant_by_domain(text);--> statement-breakpoint
CREATE FUNCTION public.app_tenant_by_slug(p_slug text)
RETURNS TABLE (id uuid, slug text, name text, status text, placement text, plan text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT t.id, t.slug, t.name, t.status, t.placement, t.plan FROM public.tenants t
  WHERE t.slug = p_slug AND t.deleted_at IS NULL
$$;--> statement-breakpoint
CREATE FUNCTION public.app_tenant_by_domain(p_domain text)
RETURNS TABLE (id uuid, slug text, name text, status text, placement text, plan text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT t.id, t.slug, t.name, t.status, t.placement, t.plan FROM public.tenant_domains d
  JOIN public.tenants t ON t.id = d.tenant_id
  WHERE d.domain = p_domain AND d.verified_at IS NOT NULL AND d.disabled_at IS NULL AND t.deleted_at IS NULL
$$;--> statement-breakpoint
GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_tenant_by_slug(text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_tenant_by_domain(text) OWNER TO canopy_directory;--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM canopy_directory;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_tenant_by_slug(text), public.app_tenant_by_domain(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_tenant_by_slug(text), public.app_tenant_by_domain(text) TO canopy_app_rw;--> statement-breakpoint

-- Cross-server cache invalidation (server/directory.ts): any change to a tenant row or a custom
-- domain, by whichever path (admin action, purge, move, domain check, archive import), tells every
-- listening server which tenant's cached routing to drop. Sent at commit, so no server re-reads
-- before the change is visible. The payload is only the tenant id.
CREATE FUNCTION public.app_directory_changed()
RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
  changed uuid;
BEGIN
  IF TG_TABLE_NAME = 'tenants' THEN
    changed := COALESCE(NEW.id, OLD.id);
  ELSE
    changed := COALESCE(NEW.tenant_id, OLD.tenant_id);
  END IF;
  PERFORM pg_catalog.pg_notify('canopy_directory', changed::text);
  RETURN NULL;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_directory_changed() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER "tenants_directory_changed" AFTER UPDATE OR DELETE ON "tenants"
  FOR EACH ROW EXECUTE FUNCTION public.app_directory_changed();--> statement-breakpoint
CREATE TRIGGER "tenant_domains_directory_changed" AFTER INSERT OR UPDATE OR DELETE ON "tenant_domains"
  FOR EACH ROW EXECUTE FUNCTION public.app_directory_changed();
