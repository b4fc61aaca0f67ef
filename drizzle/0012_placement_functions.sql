-- Placement: where a tenant's business rows live (see docs/scaling.md, "Silo by exception").
ALTER TABLE "tenant_moves" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Admins request moves and read their progress; only the mover (the owner role) changes them,
-- so a compromised app server cannot mark a half-copied move as done.
GRANT SELECT, INSERT ("tenant_id", "source", "target", "requested_by") ON "tenant_moves" TO canopy_app_rw;--> statement-breakpoint
CREATE POLICY "mover_all" ON "tenant_moves" AS PERMISSIVE FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true);--> statement-breakpoint

-- The fence every tenant transaction passes first (db/tenant-transaction.ts). It takes the
-- tenant's move lock in shared mode (a mover takes it exclusively to pause writes, waiting out
-- every transaction already inside), then checks, with a snapshot taken after the lock was
-- granted (a VOLATILE function's statements each take a new one), that this database still holds
-- the tenant. A request routed by a stale directory cache therefore fails instead of reading or
-- writing a copy that was moved away.
CREATE FUNCTION public.app_tenant_fence(p_tenant uuid, p_placement text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
  PERFORM pg_catalog.pg_advisory_xact_lock_shared(1131310671, pg_catalog.hashtext(p_tenant::text));
  IF NOT EXISTS (SELECT 1 FROM public.tenants t WHERE t.id = p_tenant AND t.placement = p_placement) THEN
    RAISE EXCEPTION 'tenant is not placed in this database' USING ERRCODE = 'CN001';
  END IF;
  RETURN true;
END
$$;--> statement-breakpoint

-- The directory answers with the placement too (return type changes: drop and re-create).
DROP FUNCTION public.app_tenant_by_slug(text);--> statement-breakpoint
DROP FUNCTION public.app_tenant_by_domain(text);--> statement-breakpoint
CREATE FUNCTION public.app_tenant_by_slug(p_slug text)
RETURNS TABLE (id uuid, slug text, name text, status text, placement text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT t.id, t.slug, t.name, t.status, t.placement FROM public.tenants t
  WHERE t.slug = p_slug AND t.deleted_at IS NULL
$$;--> statement-breakpoint
CREATE FUNCTION public.app_tenant_by_domain(p_domain text)
RETURNS TABLE (id uuid, slug text, name text, status text, placement text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT t.id, t.slug, t.name, t.status, t.placement FROM public.tenant_domains d
  JOIN public.tenants t ON t.id = d.tenant_id
  WHERE d.domain = p_domain AND d.verified_at IS NOT NULL AND d.disabled_at IS NULL AND t.deleted_at IS NULL
$$;--> statement-breakpoint

-- Jobs learn a tenant's state and placement before opening its transaction.
CREATE FUNCTION public.app_job_tenant(p_id uuid)
RETURNS TABLE (id uuid, status text, deleted boolean, placement text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT t.id, t.status, t.deleted_at IS NOT NULL, t.placement FROM public.tenants t WHERE t.id = p_id
$$;--> statement-breakpoint

-- Admins see where each tenant lives.
CREATE FUNCTION public.app_admin_tenant_placement(p_id uuid)
RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
  PERFORM public.app_admin_assert();
  RETURN (SELECT t.placement FROM public.tenants t WHERE t.id = p_id);
END
$$;--> statement-breakpoint

GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_tenant_fence(uuid, text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_tenant_by_slug(text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_tenant_by_domain(text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_job_tenant(uuid) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_tenant_placement(uuid) OWNER TO canopy_directory;--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM canopy_directory;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_tenant_fence(uuid, text), public.app_tenant_by_slug(text), public.app_tenant_by_domain(text),
  public.app_job_tenant(uuid), public.app_admin_tenant_placement(uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_tenant_fence(uuid, text), public.app_tenant_by_slug(text), public.app_tenant_by_domain(text),
  public.app_job_tenant(uuid), public.app_admin_tenant_placement(uuid) TO canopy_app_rw;
--> statement-breakpoint
-- The mover (db/tenant-move.ts) runs as the owner: it finds a tenant by slug before it knows the
-- id that RLS scopes everything else to. The owner can lift FORCE anyway; this grants no one else.
CREATE POLICY "mover_read" ON "tenants" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true);
