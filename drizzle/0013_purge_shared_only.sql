-- A purge deletes the tenant's directory row, and the foreign keys cascade to its rows in this
-- database only. A tenant placed in a dedicated database is therefore not purged here (its rows
-- there would be orphaned and its data kept): it is moved back to the shared database first.
GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.app_job_purge_due_tenants(p_limit integer)
RETURNS TABLE (id uuid, slug text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY DELETE FROM public.tenants t
    WHERE t.id IN (
      SELECT d.id FROM public.tenants d
      WHERE d.deleted_at IS NOT NULL AND d.purge_after <= now() AND d.placement = 'shared'
      ORDER BY d.purge_after LIMIT p_limit
    )
    RETURNING t.id, t.slug;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.app_admin_purge_tenant(p_id uuid)
RETURNS TABLE (id uuid, slug text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
#variable_conflict use_column
BEGIN
  PERFORM public.app_admin_assert();
  IF EXISTS (SELECT 1 FROM public.tenants d WHERE d.id = p_id AND d.placement <> 'shared') THEN
    RAISE EXCEPTION 'move the tenant back to the shared database before purging it' USING ERRCODE = 'CN002';
  END IF;
  RETURN QUERY DELETE FROM public.tenants t
    WHERE t.id = p_id AND t.deleted_at IS NOT NULL AND t.purge_after <= now()
    RETURNING t.id, t.slug;
END
$$;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;
