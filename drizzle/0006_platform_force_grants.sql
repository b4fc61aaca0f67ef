ALTER TABLE "platform_audit_log" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenant_exports" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "support_sessions" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- The platform audit log is append-only for the application, like the tenant audit log.
GRANT SELECT, INSERT ON "platform_audit_log" TO canopy_app_rw;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "tenant_exports", "support_sessions" TO canopy_app_rw;--> statement-breakpoint
GRANT UPDATE ("last_checked_at", "failing_since", "disabled_at") ON "tenant_domains" TO canopy_app_rw;--> statement-breakpoint

-- A verified domain stops routing once re-verification has disabled it.
GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.app_tenant_by_domain(p_domain text)
RETURNS TABLE (id uuid, slug text, name text, status text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT t.id, t.slug, t.name, t.status FROM public.tenant_domains d
  JOIN public.tenants t ON t.id = d.tenant_id
  WHERE d.domain = p_domain AND d.verified_at IS NOT NULL AND d.disabled_at IS NULL AND t.deleted_at IS NULL
$$;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;
