CREATE TABLE "invoice_public_links" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"invoice_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "invoice_public_links_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "invoice_public_links" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invoice_public_links" ADD CONSTRAINT "invoice_public_links_invoice_fk" FOREIGN KEY ("tenant_id","invoice_id") REFERENCES "public"."invoices"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_public_links_tenant_token_key" ON "invoice_public_links" USING btree ("tenant_id","token_hash");--> statement-breakpoint
CREATE INDEX "invoice_public_links_token_idx" ON "invoice_public_links" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_public_links_live_key" ON "invoice_public_links" USING btree ("tenant_id","invoice_id") WHERE "invoice_public_links"."revoked_at" is null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "invoice_public_links" AS PERMISSIVE FOR ALL TO public USING ("tenant_id" = (select nullif(current_setting('app.tenant_id', true), ''))::uuid) WITH CHECK ("tenant_id" = (select nullif(current_setting('app.tenant_id', true), ''))::uuid);--> statement-breakpoint
ALTER TABLE "invoice_public_links" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Members issue and revoke links through the app; a link row is never deleted by hand (the invoice's delete cascades).
GRANT SELECT, INSERT, UPDATE ("revoked_at") ON "invoice_public_links" TO canopy_app_rw;--> statement-breakpoint
-- Only the look-up function's owner reads links across tenants, and only their live ones.
CREATE POLICY "public_link_lookup" ON "invoice_public_links" AS PERMISSIVE FOR SELECT TO canopy_directory USING ("revoked_at" is null);--> statement-breakpoint
GRANT SELECT ("tenant_id", "invoice_id", "token_hash", "revoked_at") ON "invoice_public_links" TO canopy_directory;--> statement-breakpoint
-- The public invoice page knows only a token. This answers the one question it needs (whose
-- invoice does this live token open?) and nothing else: no listing, no revoked links, no other columns.
-- The page then reads the invoice inside that tenant's normal RLS scope.
CREATE FUNCTION public.app_invoice_public_link(p_token_hash text)
RETURNS TABLE (tenant_id uuid, invoice_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT l.tenant_id, l.invoice_id FROM public.invoice_public_links l
  WHERE l.token_hash = p_token_hash AND l.revoked_at IS NULL AND p_token_hash ~ '^[0-9a-f]{64}$'
  LIMIT 1
$$;--> statement-breakpoint
GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_invoice_public_link(text) OWNER TO canopy_directory;--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM canopy_directory;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_invoice_public_link(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_invoice_public_link(text) TO canopy_app_rw;
