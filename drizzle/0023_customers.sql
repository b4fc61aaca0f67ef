CREATE TABLE "customers" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"billing_address" text,
	"tax_id" text,
	"default_currency" char(3),
	"created_by" uuid,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "customers_name_length" CHECK (char_length("customers"."name") between 1 and 200),
	CONSTRAINT "customers_email_length" CHECK (char_length("customers"."email") <= 320),
	CONSTRAINT "customers_billing_address_length" CHECK (char_length("customers"."billing_address") <= 500),
	CONSTRAINT "customers_tax_id_length" CHECK (char_length("customers"."tax_id") <= 50),
	CONSTRAINT "customers_default_currency_format" CHECK ("customers"."default_currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
ALTER TABLE "customers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "customer_id" uuid;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "customer_address" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "customer_tax_id" text;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customers_tenant_name_idx" ON "customers" USING btree ("tenant_id",lower("name"),"id");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_tenant_active_name_key" ON "customers" USING btree ("tenant_id",lower("name")) WHERE "customers"."archived_at" is null;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_customer_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoices_tenant_customer_idx" ON "invoices" USING btree ("tenant_id","customer_id");--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_customer_address_length" CHECK (char_length("invoices"."customer_address") <= 500);--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_customer_tax_id_length" CHECK (char_length("invoices"."customer_tax_id") <= 50);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "customers" AS PERMISSIVE FOR ALL TO public USING ("tenant_id" = (select nullif(current_setting('app.tenant_id', true), ''))::uuid) WITH CHECK ("tenant_id" = (select nullif(current_setting('app.tenant_id', true), ''))::uuid);--> statement-breakpoint
ALTER TABLE "customers" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Customers are archived, never deleted: sent invoices keep pointing at the row they were issued to.
GRANT SELECT, INSERT, UPDATE ON "customers" TO canopy_app_rw;
