-- Self-serve sign-up asks whether an address is free. Soft-deleted tenants keep their slug until
-- purged (the unique index still holds it), so they count as taken. Answers yes/no only.
CREATE FUNCTION public.app_slug_taken(p_slug text)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT EXISTS (SELECT 1 FROM public.tenants t WHERE t.slug = p_slug)
$$;--> statement-breakpoint
GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_slug_taken(text) OWNER TO canopy_directory;--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM canopy_directory;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_slug_taken(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_slug_taken(text) TO canopy_app_rw;
