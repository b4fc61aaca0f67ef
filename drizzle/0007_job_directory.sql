-- Background jobs fan out per tenant. The worker learns which tenants exist and are active
-- from this narrow function (ids and slugs only); everything else it reads inside each
-- tenant's own RLS scope.
CREATE FUNCTION public.app_job_active_tenants()
RETURNS TABLE (id uuid, slug text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT t.id, t.slug FROM public.tenants t WHERE t.status = 'active' AND t.deleted_at IS NULL ORDER BY t.id
$$;--> statement-breakpoint
GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_job_active_tenants() OWNER TO canopy_directory;--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM canopy_directory;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_job_active_tenants() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_job_active_tenants() TO canopy_app_rw;
