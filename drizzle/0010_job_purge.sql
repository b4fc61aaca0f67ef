-- "Delete = soft delete with a restore window, then purge": the worker purges tenants whose window
-- has ended. Only rows already soft-deleted and past purge_after can go; the cascade removes every
-- row of the tenant. Returns what it removed, for the worker's log.
CREATE FUNCTION public.app_job_purge_due_tenants(p_limit integer)
RETURNS TABLE (id uuid, slug text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY DELETE FROM public.tenants t
    WHERE t.id IN (
      SELECT d.id FROM public.tenants d
      WHERE d.deleted_at IS NOT NULL AND d.purge_after <= now()
      ORDER BY d.purge_after LIMIT p_limit
    )
    RETURNING t.id, t.slug;
END
$$;--> statement-breakpoint
GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_job_purge_due_tenants(integer) OWNER TO canopy_directory;--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM canopy_directory;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_job_purge_due_tenants(integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_job_purge_due_tenants(integer) TO canopy_app_rw;
