CREATE TABLE "tenant_moves" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"source" text NOT NULL,
	"target" text NOT NULL,
	"phase" text DEFAULT 'requested' NOT NULL,
	"requested_by" uuid,
	"report" jsonb,
	"pause_ms" integer,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "tenant_moves_phase_check" CHECK ("tenant_moves"."phase" in ('requested', 'copying', 'copied', 'flipped', 'done', 'rolled_back', 'failed')),
	CONSTRAINT "tenant_moves_distinct_check" CHECK ("tenant_moves"."source" <> "tenant_moves"."target")
);
--> statement-breakpoint
ALTER TABLE "tenant_moves" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "placement" text DEFAULT 'shared' NOT NULL;--> statement-breakpoint
CREATE INDEX "tenant_moves_tenant_idx" ON "tenant_moves" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "tenant_moves_one_open_key" ON "tenant_moves" USING btree ("tenant_id") WHERE "tenant_moves"."phase" not in ('done', 'rolled_back');--> statement-breakpoint
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_placement_format" CHECK ("tenants"."placement" ~ '^[a-z0-9][a-z0-9_-]{0,62}$');--> statement-breakpoint
CREATE POLICY "platform_admins_all" ON "tenant_moves" AS PERMISSIVE FOR ALL TO public USING (exists (select 1 from users u where u.id = (select nullif(current_setting('app.user_id', true), ''))::uuid and u.is_platform_admin)) WITH CHECK (exists (select 1 from users u where u.id = (select nullif(current_setting('app.user_id', true), ''))::uuid and u.is_platform_admin));--> statement-breakpoint
ALTER POLICY "tenants_new_active_free" ON "tenants" TO canopy_app_rw WITH CHECK ("tenants"."status" = 'active' and "tenants"."plan" = 'free' and "tenants"."deleted_at" is null and "tenants"."placement" = 'shared');