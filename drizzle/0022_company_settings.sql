CREATE TABLE "tenant_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"legal_name" text,
	"postal_address" text,
	"tax_id" text,
	"invoice_prefix" text DEFAULT 'INV-' NOT NULL,
	"default_currency" char(3) DEFAULT 'USD' NOT NULL,
	"payment_terms_days" integer DEFAULT 30 NOT NULL,
	"logo" "bytea",
	"logo_content_type" text,
	"logo_sha256" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_settings_legal_name_length" CHECK (char_length("tenant_settings"."legal_name") <= 200),
	CONSTRAINT "tenant_settings_postal_address_length" CHECK (char_length("tenant_settings"."postal_address") <= 500),
	CONSTRAINT "tenant_settings_tax_id_length" CHECK (char_length("tenant_settings"."tax_id") <= 50),
	CONSTRAINT "tenant_settings_invoice_prefix_format" CHECK ("tenant_settings"."invoice_prefix" ~ '^[A-Za-z0-9-]{1,10}$'),
	CONSTRAINT "tenant_settings_default_currency_format" CHECK ("tenant_settings"."default_currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "tenant_settings_payment_terms_range" CHECK ("tenant_settings"."payment_terms_days" between 0 and 365),
	CONSTRAINT "tenant_settings_logo_content_type" CHECK ("tenant_settings"."logo_content_type" in ('image/png', 'image/jpeg', 'image/webp')),
	CONSTRAINT "tenant_settings_logo_size" CHECK (octet_length("tenant_settings"."logo") <= 524288),
	CONSTRAINT "tenant_settings_logo_complete" CHECK (("tenant_settings"."logo" is null and "tenant_settings"."logo_content_type" is null and "tenant_settings"."logo_sha256" is null) or ("tenant_settings"."logo" is not null and "tenant_settings"."logo_content_type" is not null and "tenant_settings"."logo_sha256" ~ '^[0-9a-f]{64}$'))
);
--> statement-breakpoint
ALTER TABLE "tenant_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "number_prefix" text DEFAULT 'INV-' NOT NULL;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD CONSTRAINT "tenant_settings_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_number_prefix_format" CHECK ("invoices"."number_prefix" ~ '^[A-Za-z0-9-]{1,10}$');--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "tenant_settings" AS PERMISSIVE FOR ALL TO public USING ("tenant_id" = (select nullif(current_setting('app.tenant_id', true), ''))::uuid) WITH CHECK ("tenant_id" = (select nullif(current_setting('app.tenant_id', true), ''))::uuid);--> statement-breakpoint
ALTER TABLE "tenant_settings" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Company details are edited by owners and admins through the app; a workspace never deletes its row (the tenant's purge cascades).
GRANT SELECT, INSERT, UPDATE ON "tenant_settings" TO canopy_app_rw;
