-- The admin tenant list also returns each tenant's placement. A tenant in a dedicated database
-- has its projects and invoices there, so counting them here would report zeros: for those
-- tenants the counts are NULL (the app reads them from the tenant's database for the page shown),
-- and a sort by either count puts them after the tenants counted here.
-- The function belongs to canopy_directory; the migrator acts as it for the drop and the new owner.
GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
DROP FUNCTION public.app_admin_list_tenants(text, text, text, boolean, integer, integer);--> statement-breakpoint
CREATE FUNCTION public.app_admin_list_tenants(p_search text, p_status text, p_sort text, p_desc boolean, p_limit integer, p_offset integer)
RETURNS TABLE (
  id uuid, slug text, name text, status text, plan text, placement text, created_at timestamptz, deleted_at timestamptz,
  purge_after timestamptz, members bigint, projects bigint, invoices bigint, total bigint
)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
#variable_conflict use_column
DECLARE
  v_pattern text := '%' || replace(replace(replace(coalesce(p_search, ''), '\', '\\'), '%', '\%'), '_', '\_') || '%';
BEGIN
  PERFORM public.app_admin_assert();
  RETURN QUERY
  WITH filtered AS (
    SELECT t.id, t.slug, t.name, t.status, t.plan, t.placement, t.created_at, t.deleted_at, t.purge_after
    FROM public.tenants t
    WHERE (t.name ILIKE v_pattern OR t.slug ILIKE v_pattern)
      AND CASE coalesce(p_status, 'all')
        WHEN 'active' THEN t.status = 'active' AND t.deleted_at IS NULL
        WHEN 'suspended' THEN t.status = 'suspended' AND t.deleted_at IS NULL
        WHEN 'deleted' THEN t.deleted_at IS NOT NULL
        ELSE true END
  ), counted AS (
    SELECT f.*,
      (SELECT count(*) FROM public.memberships m WHERE m.tenant_id = f.id) AS members,
      CASE WHEN f.placement = 'shared' THEN (SELECT count(*) FROM public.projects p WHERE p.tenant_id = f.id) END AS projects,
      CASE WHEN f.placement = 'shared' THEN (SELECT count(*) FROM public.invoices i WHERE i.tenant_id = f.id) END AS invoices
    FROM filtered f
  )
  SELECT c.id, c.slug, c.name, c.status, c.plan, c.placement, c.created_at, c.deleted_at, c.purge_after,
    c.members, c.projects, c.invoices, count(*) OVER () AS total
  FROM counted c
  ORDER BY
    CASE WHEN NOT p_desc THEN CASE p_sort WHEN 'slug' THEN c.slug WHEN 'status' THEN c.status WHEN 'plan' THEN c.plan WHEN 'name' THEN lower(c.name) END END ASC,
    CASE WHEN p_desc THEN CASE p_sort WHEN 'slug' THEN c.slug WHEN 'status' THEN c.status WHEN 'plan' THEN c.plan WHEN 'name' THEN lower(c.name) END END DESC,
    CASE WHEN NOT p_desc THEN CASE p_sort WHEN 'members' THEN c.members WHEN 'projects' THEN c.projects WHEN 'invoices' THEN c.invoices END END ASC NULLS LAST,
    CASE WHEN p_desc THEN CASE p_sort WHEN 'members' THEN c.members WHEN 'projects' THEN c.projects WHEN 'invoices' THEN c.invoices END END DESC NULLS LAST,
    CASE WHEN NOT p_desc AND p_sort = 'created' THEN c.created_at END ASC,
    CASE WHEN p_desc AND p_sort = 'created' THEN c.created_at END DESC,
    c.id
  LIMIT p_limit OFFSET p_offset;
END
$$;--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_list_tenants(text, text, text, boolean, integer, integer) OWNER TO canopy_directory;--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM canopy_directory;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_admin_list_tenants(text, text, text, boolean, integer, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_admin_list_tenants(text, text, text, boolean, integer, integer) TO canopy_app_rw;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;
