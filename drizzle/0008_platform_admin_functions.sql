-- Platform-admin and domain functions. Like the directory functions (0002), each is SECURITY
-- DEFINER, owned by canopy_directory, with an empty search_path. The admin functions check that
-- the transaction's user (app.user_id) is a platform admin before touching anything, and return
-- tenant directory rows and aggregates only, never rows of tenant tables.

-- What canopy_directory may now do, and only through the functions below.
GRANT INSERT, DELETE, UPDATE ("status", "plan", "updated_at", "deleted_at", "purge_after") ON "tenants" TO canopy_directory;--> statement-breakpoint
GRANT SELECT ON "projects", "invoices" TO canopy_directory;--> statement-breakpoint
GRANT INSERT ("id", "email", "name") ON "users" TO canopy_directory;--> statement-breakpoint
CREATE POLICY "directory_insert" ON "tenants" AS PERMISSIVE FOR INSERT TO canopy_directory WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "directory_update" ON "tenants" AS PERMISSIVE FOR UPDATE TO canopy_directory USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "directory_delete" ON "tenants" AS PERMISSIVE FOR DELETE TO canopy_directory USING (true);--> statement-breakpoint
-- Usage counts for the tenants table: the functions return count(*) per tenant, never the rows.
CREATE POLICY "directory_count" ON "projects" AS PERMISSIVE FOR SELECT TO canopy_directory USING (true);--> statement-breakpoint
CREATE POLICY "directory_count" ON "invoices" AS PERMISSIVE FOR SELECT TO canopy_directory USING (true);--> statement-breakpoint
-- Import re-creates the people of an archive: no password, never a platform admin.
CREATE POLICY "directory_import" ON "users" AS PERMISSIVE FOR INSERT TO canopy_directory
  WITH CHECK (NOT "is_platform_admin" AND "password_hash" IS NULL);--> statement-breakpoint

CREATE FUNCTION public.app_admin_assert()
RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM public.users u
    WHERE u.id = (SELECT nullif(current_setting('app.user_id', true), ''))::uuid AND u.is_platform_admin
  ) THEN
    RAISE EXCEPTION 'platform administrators only' USING ERRCODE = 'insufficient_privilege';
  END IF;
END
$$;--> statement-breakpoint

CREATE FUNCTION public.app_admin_list_tenants(p_search text, p_status text, p_sort text, p_desc boolean, p_limit integer, p_offset integer)
RETURNS TABLE (
  id uuid, slug text, name text, status text, plan text, created_at timestamptz, deleted_at timestamptz,
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
    SELECT t.id, t.slug, t.name, t.status, t.plan, t.created_at, t.deleted_at, t.purge_after
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
      (SELECT count(*) FROM public.projects p WHERE p.tenant_id = f.id) AS projects,
      (SELECT count(*) FROM public.invoices i WHERE i.tenant_id = f.id) AS invoices
    FROM filtered f
  )
  SELECT c.id, c.slug, c.name, c.status, c.plan, c.created_at, c.deleted_at, c.purge_after,
    c.members, c.projects, c.invoices, count(*) OVER () AS total
  FROM counted c
  ORDER BY
    CASE WHEN NOT p_desc THEN CASE p_sort WHEN 'slug' THEN c.slug WHEN 'status' THEN c.status WHEN 'plan' THEN c.plan WHEN 'name' THEN lower(c.name) END END ASC,
    CASE WHEN p_desc THEN CASE p_sort WHEN 'slug' THEN c.slug WHEN 'status' THEN c.status WHEN 'plan' THEN c.plan WHEN 'name' THEN lower(c.name) END END DESC,
    CASE WHEN NOT p_desc THEN CASE p_sort WHEN 'members' THEN c.members WHEN 'projects' THEN c.projects WHEN 'invoices' THEN c.invoices END END ASC,
    CASE WHEN p_desc THEN CASE p_sort WHEN 'members' THEN c.members WHEN 'projects' THEN c.projects WHEN 'invoices' THEN c.invoices END END DESC,
    CASE WHEN NOT p_desc AND p_sort = 'created' THEN c.created_at END ASC,
    CASE WHEN p_desc AND p_sort = 'created' THEN c.created_at END DESC,
    c.id
  LIMIT p_limit OFFSET p_offset;
END
$$;--> statement-breakpoint

CREATE FUNCTION public.app_admin_tenant(p_id uuid)
RETURNS TABLE (id uuid, slug text, name text, status text, plan text, created_at timestamptz, deleted_at timestamptz, purge_after timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
#variable_conflict use_column
BEGIN
  PERFORM public.app_admin_assert();
  RETURN QUERY SELECT t.id, t.slug, t.name, t.status, t.plan, t.created_at, t.deleted_at, t.purge_after
    FROM public.tenants t WHERE t.id = p_id;
END
$$;--> statement-breakpoint

-- Deleted tenants keep their slug until purged, so this looks at every row, not only live tenants.
CREATE FUNCTION public.app_admin_slug_taken(p_slug text)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
  PERFORM public.app_admin_assert();
  RETURN EXISTS (SELECT 1 FROM public.tenants t WHERE t.slug = p_slug);
END
$$;--> statement-breakpoint

CREATE FUNCTION public.app_admin_user_by_email(p_email text)
RETURNS TABLE (id uuid, email text, name text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
#variable_conflict use_column
BEGIN
  PERFORM public.app_admin_assert();
  RETURN QUERY SELECT u.id, u.email, u.name FROM public.users u WHERE u.email = lower(p_email);
END
$$;--> statement-breakpoint

CREATE FUNCTION public.app_admin_create_tenant(p_id uuid, p_slug text, p_name text, p_plan text)
RETURNS TABLE (id uuid, slug text, name text, status text, plan text, created_at timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
#variable_conflict use_column
BEGIN
  PERFORM public.app_admin_assert();
  RETURN QUERY INSERT INTO public.tenants AS t (id, slug, name, plan) VALUES (p_id, p_slug, p_name, p_plan)
    RETURNING t.id, t.slug, t.name, t.status, t.plan, t.created_at;
END
$$;--> statement-breakpoint

CREATE FUNCTION public.app_admin_set_tenant_status(p_id uuid, p_status text)
RETURNS TABLE (id uuid, slug text, previous_status text, status text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
#variable_conflict use_column
BEGIN
  PERFORM public.app_admin_assert();
  RETURN QUERY
  WITH old AS (SELECT t.id, t.status FROM public.tenants t WHERE t.id = p_id AND t.deleted_at IS NULL FOR UPDATE)
  UPDATE public.tenants t SET status = p_status, updated_at = now() FROM old WHERE t.id = old.id
  RETURNING t.id, t.slug, old.status, t.status;
END
$$;--> statement-breakpoint

CREATE FUNCTION public.app_admin_delete_tenant(p_id uuid, p_purge_after timestamptz)
RETURNS TABLE (id uuid, slug text, deleted_at timestamptz, purge_after timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
#variable_conflict use_column
BEGIN
  PERFORM public.app_admin_assert();
  RETURN QUERY UPDATE public.tenants t SET deleted_at = now(), purge_after = p_purge_after, updated_at = now()
    WHERE t.id = p_id AND t.deleted_at IS NULL
    RETURNING t.id, t.slug, t.deleted_at, t.purge_after;
END
$$;--> statement-breakpoint

CREATE FUNCTION public.app_admin_restore_tenant(p_id uuid)
RETURNS TABLE (id uuid, slug text, status text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
#variable_conflict use_column
BEGIN
  PERFORM public.app_admin_assert();
  RETURN QUERY UPDATE public.tenants t SET deleted_at = NULL, purge_after = NULL, updated_at = now()
    WHERE t.id = p_id AND t.deleted_at IS NOT NULL
    RETURNING t.id, t.slug, t.status;
END
$$;--> statement-breakpoint

-- Every tenant table references tenants(id) ON DELETE CASCADE, so one delete removes all its rows.
CREATE FUNCTION public.app_admin_purge_tenant(p_id uuid)
RETURNS TABLE (id uuid, slug text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
#variable_conflict use_column
BEGIN
  PERFORM public.app_admin_assert();
  RETURN QUERY DELETE FROM public.tenants t
    WHERE t.id = p_id AND t.deleted_at IS NOT NULL AND t.purge_after <= now()
    RETURNING t.id, t.slug;
END
$$;--> statement-breakpoint

CREATE FUNCTION public.app_admin_stats()
RETURNS TABLE (
  tenants bigint, active bigint, suspended bigint, deleted bigint, users bigint, memberships bigint,
  projects bigint, invoices bigint, verified_domains bigint
)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
  PERFORM public.app_admin_assert();
  RETURN QUERY SELECT
    (SELECT count(*) FROM public.tenants t),
    (SELECT count(*) FROM public.tenants t WHERE t.status = 'active' AND t.deleted_at IS NULL),
    (SELECT count(*) FROM public.tenants t WHERE t.status = 'suspended' AND t.deleted_at IS NULL),
    (SELECT count(*) FROM public.tenants t WHERE t.deleted_at IS NOT NULL),
    (SELECT count(*) FROM public.users u),
    (SELECT count(*) FROM public.memberships m),
    (SELECT count(*) FROM public.projects p),
    (SELECT count(*) FROM public.invoices i),
    (SELECT count(*) FROM public.tenant_domains d WHERE d.verified_at IS NOT NULL AND d.disabled_at IS NULL);
END
$$;--> statement-breakpoint

-- Import: the tenant row exactly as archived (status and plan included, which the app role's
-- insert policy would refuse). A live tenant with the same id is never overwritten; a deleted
-- one is replaced by the archive.
CREATE FUNCTION public.app_admin_import_tenant(p_row jsonb)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
DECLARE
  v_id uuid := (p_row ->> 'id')::uuid;
BEGIN
  PERFORM public.app_admin_assert();
  IF EXISTS (SELECT 1 FROM public.tenants t WHERE t.id = v_id AND t.deleted_at IS NULL) THEN
    RAISE EXCEPTION 'tenant % exists and is not deleted', v_id USING ERRCODE = 'unique_violation';
  END IF;
  DELETE FROM public.tenants t WHERE t.id = v_id;
  INSERT INTO public.tenants SELECT * FROM jsonb_populate_record(NULL::public.tenants, p_row);
END
$$;--> statement-breakpoint

-- The user an archived member maps to: the same id, else the same email, else a new user
-- without a password (they sign in after a reset or an invitation).
CREATE FUNCTION public.app_admin_import_user(p_id uuid, p_email text, p_name text)
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
DECLARE
  v_id uuid;
BEGIN
  PERFORM public.app_admin_assert();
  SELECT u.id INTO v_id FROM public.users u WHERE u.id = p_id OR u.email = lower(p_email) ORDER BY (u.id = p_id) DESC LIMIT 1;
  IF v_id IS NOT NULL THEN
    RETURN v_id;
  END IF;
  INSERT INTO public.users (id, email, name) VALUES (p_id, lower(p_email), p_name);
  RETURN p_id;
END
$$;--> statement-breakpoint

-- For the re-verification job: verified domains (disabled ones too, so a fixed domain comes
-- back) of live tenants, least recently checked first. Domains and tokens are public in DNS anyway.
CREATE FUNCTION public.app_domains_to_recheck(p_checked_before timestamptz, p_limit integer)
RETURNS TABLE (tenant_id uuid, id uuid, domain text, verification_token text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT d.tenant_id, d.id, d.domain, d.verification_token FROM public.tenant_domains d
  JOIN public.tenants t ON t.id = d.tenant_id
  WHERE d.verified_at IS NOT NULL AND t.deleted_at IS NULL
    AND (d.last_checked_at IS NULL OR d.last_checked_at < p_checked_before)
  ORDER BY d.last_checked_at NULLS FIRST, d.id
  LIMIT p_limit
$$;--> statement-breakpoint

-- Whether another tenant (than the transaction's app.tenant_id) holds this domain verified.
CREATE FUNCTION public.app_domain_claimed_elsewhere(p_domain text)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.tenant_domains d
    WHERE d.domain = p_domain AND d.verified_at IS NOT NULL
      AND d.tenant_id IS DISTINCT FROM (SELECT nullif(current_setting('app.tenant_id', true), ''))::uuid
  )
$$;--> statement-breakpoint

GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_assert() OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_list_tenants(text, text, text, boolean, integer, integer) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_tenant(uuid) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_slug_taken(text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_user_by_email(text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_create_tenant(uuid, text, text, text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_set_tenant_status(uuid, text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_delete_tenant(uuid, timestamptz) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_restore_tenant(uuid) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_purge_tenant(uuid) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_stats() OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_import_tenant(jsonb) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_admin_import_user(uuid, text, text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_domains_to_recheck(timestamptz, integer) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_domain_claimed_elsewhere(text) OWNER TO canopy_directory;--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM canopy_directory;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_admin_assert(), public.app_admin_list_tenants(text, text, text, boolean, integer, integer),
  public.app_admin_tenant(uuid), public.app_admin_slug_taken(text), public.app_admin_user_by_email(text),
  public.app_admin_create_tenant(uuid, text, text, text), public.app_admin_set_tenant_status(uuid, text),
  public.app_admin_delete_tenant(uuid, timestamptz), public.app_admin_restore_tenant(uuid), public.app_admin_purge_tenant(uuid),
  public.app_admin_stats(), public.app_admin_import_tenant(jsonb), public.app_admin_import_user(uuid, text, text),
  public.app_domains_to_recheck(timestamptz, integer), public.app_domain_claimed_elsewhere(text) FROM PUBLIC;--> statement-breakpoint
-- app_admin_assert stays private to the functions above (they run as its owner).
GRANT EXECUTE ON FUNCTION public.app_admin_list_tenants(text, text, text, boolean, integer, integer),
  public.app_admin_tenant(uuid), public.app_admin_slug_taken(text), public.app_admin_user_by_email(text),
  public.app_admin_create_tenant(uuid, text, text, text), public.app_admin_set_tenant_status(uuid, text),
  public.app_admin_delete_tenant(uuid, timestamptz), public.app_admin_restore_tenant(uuid), public.app_admin_purge_tenant(uuid),
  public.app_admin_stats(), public.app_admin_import_tenant(jsonb), public.app_admin_import_user(uuid, text, text),
  public.app_domains_to_recheck(timestamptz, integer), public.app_domain_claimed_elsewhere(text) TO canopy_app_rw;
