-- The table owner (this migration role) is subject to the policies too: without FORCE
-- it would silently bypass RLS in seeds, scripts and any code that connects as owner.
ALTER TABLE "tenants" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenant_domains" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "users" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "memberships" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "projects" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invoices" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invoice_items" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invoice_counters" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "audit_log" FORCE ROW LEVEL SECURITY;--> statement-breakpoint

REVOKE ALL ON SCHEMA public FROM PUBLIC;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO canopy_app_rw, canopy_directory;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON
  "tenant_domains", "memberships", "projects", "invoices", "invoice_items", "invoice_counters"
  TO canopy_app_rw;--> statement-breakpoint
-- Column grants: a tenant can rename itself but never change its own status or plan, and a
-- user can edit their own row but never make themselves a platform admin.
GRANT SELECT ON "tenants", "users" TO canopy_app_rw;--> statement-breakpoint
-- (INSERT names every column because the ORM writes DEFAULT explicitly; restrictive policies pin the values.)
GRANT INSERT, UPDATE ("name", "updated_at") ON "tenants" TO canopy_app_rw;--> statement-breakpoint
GRANT INSERT,
  UPDATE ("email", "name", "password_hash", "updated_at") ON "users" TO canopy_app_rw;--> statement-breakpoint
-- The audit log is append-only for the application: a compromised request cannot rewrite history.
GRANT SELECT, INSERT ON "audit_log" TO canopy_app_rw;--> statement-breakpoint
GRANT SELECT ON "tenants", "tenant_domains", "users", "memberships" TO canopy_directory;--> statement-breakpoint

-- Directory functions: the only cross-tenant reads the application can make. SECURITY DEFINER
-- with an empty search_path, so a caller cannot plant objects that the function would resolve.
CREATE FUNCTION public.app_tenant_by_slug(p_slug text)
RETURNS TABLE (id uuid, slug text, name text, status text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT t.id, t.slug, t.name, t.status FROM public.tenants t
  WHERE t.slug = p_slug AND t.deleted_at IS NULL
$$;--> statement-breakpoint

CREATE FUNCTION public.app_tenant_by_domain(p_domain text)
RETURNS TABLE (id uuid, slug text, name text, status text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT t.id, t.slug, t.name, t.status FROM public.tenant_domains d
  JOIN public.tenants t ON t.id = d.tenant_id
  WHERE d.domain = p_domain AND d.verified_at IS NOT NULL AND t.deleted_at IS NULL
$$;--> statement-breakpoint

-- Sign-in needs the hash before any tenant or user is known; it returns one row by exact email.
CREATE FUNCTION public.app_user_for_sign_in(p_email text)
RETURNS TABLE (id uuid, email text, name text, password_hash text, is_platform_admin boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT u.id, u.email, u.name, u.password_hash, u.is_platform_admin FROM public.users u
  WHERE u.email = lower(p_email)
$$;--> statement-breakpoint

-- "My workspaces" for the user of the current transaction only (app.user_id), never for an
-- id passed in, so a caller cannot list someone else's tenants.
CREATE FUNCTION public.app_my_workspaces()
RETURNS TABLE (tenant_id uuid, slug text, name text, status text, role text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT t.id, t.slug, t.name, t.status, m.role FROM public.memberships m
  JOIN public.tenants t ON t.id = m.tenant_id
  WHERE m.user_id = (SELECT nullif(current_setting('app.user_id', true), ''))::uuid
    AND t.deleted_at IS NULL
  ORDER BY t.name
$$;--> statement-breakpoint

GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
-- A new owner needs CREATE on the schema for the moment of the hand-over only.
GRANT CREATE ON SCHEMA public TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_tenant_by_slug(text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_tenant_by_domain(text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_user_for_sign_in(text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_my_workspaces() OWNER TO canopy_directory;--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM canopy_directory;--> statement-breakpoint
-- The migration role must not keep the directory's read-everything policies for itself.
REVOKE canopy_directory FROM CURRENT_USER;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_tenant_by_slug(text), public.app_tenant_by_domain(text),
  public.app_user_for_sign_in(text), public.app_my_workspaces() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_tenant_by_slug(text), public.app_tenant_by_domain(text),
  public.app_user_for_sign_in(text), public.app_my_workspaces() TO canopy_app_rw;
