-- A platform admin changes a tenant's plan from the console. Like the other admin functions it
-- is SECURITY DEFINER, owned by canopy_directory (which may update tenants.plan and nothing of a
-- tenant's business rows), and checks that the transaction's user is a platform admin. The app
-- role itself has no grant on the column: a tenant cannot move itself to a bigger plan.
-- The tenants trigger (app_directory_changed) tells every server to re-read the tenant, so the
-- new budget applies everywhere at once.
GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
CREATE FUNCTION public.app_admin_set_tenant_plan(p_id uuid, p_plan text)
RETURNS TABLE (id uuid, slug text, previous_plan text, plan text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
#variable_conflict use_column
BEGIN
  PERFORM public.app_admin_assert();
  RETURN QUERY
  WITH old AS (SELECT t.id, t.plan FROM public.tenants t WHERE t.id = p_id AND t.deleted_at IS NULL FOR UPDATE)
  UPDATE public.tenants t SET plan = p_plan, updated_at = now() FROM old WHERE t.id = old.id
  RETURNING t.id, t.slug, old.plan, t.plan;
END
$$;--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_set_tenant_plan(uuid, text) OWNER TO canopy_directory;--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM canopy_directory;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_admin_set_tenant_plan(uuid, text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_admin_set_tenant_plan(uuid, text) TO canopy_app_rw;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;
