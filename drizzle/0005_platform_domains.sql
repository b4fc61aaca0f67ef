CREATE TABLE "platform_audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"actor_user_id" uuid NOT NULL,
	"action" text NOT NULL,
	"tenant_id" uuid,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "platform_audit_log" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "support_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"admin_user_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"read_only" boolean DEFAULT true NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "support_sessions_reason_check" CHECK (length(trim("support_sessions"."reason")) >= 5)
);
--> statement-breakpoint
ALTER TABLE "support_sessions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tenant_exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"archive" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "tenant_exports_status_check" CHECK ("tenant_exports"."status" in ('queued', 'running', 'done', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "tenant_exports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP INDEX "tenant_domains_domain_key";--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "overdue_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenant_domains" ADD COLUMN "verification_token" text DEFAULT replace(gen_random_uuid()::text, '-', '') NOT NULL;--> statement-breakpoint
ALTER TABLE "tenant_domains" ADD COLUMN "last_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenant_domains" ADD COLUMN "failing_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenant_domains" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "purge_after" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "platform_audit_log_created_idx" ON "platform_audit_log" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "support_sessions_admin_idx" ON "support_sessions" USING btree ("admin_user_id","tenant_id");--> statement-breakpoint
CREATE INDEX "tenant_exports_tenant_idx" ON "tenant_exports" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "tenant_domains_verified_domain_key" ON "tenant_domains" USING btree ("domain") WHERE "tenant_domains"."verified_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "tenant_domains_tenant_domain_key" ON "tenant_domains" USING btree ("tenant_id","domain");--> statement-breakpoint
CREATE POLICY "platform_admins_read" ON "platform_audit_log" AS PERMISSIVE FOR SELECT TO public USING (exists (select 1 from users u where u.id = (select nullif(current_setting('app.user_id', true), ''))::uuid and u.is_platform_admin));--> statement-breakpoint
CREATE POLICY "platform_admins_append" ON "platform_audit_log" AS PERMISSIVE FOR INSERT TO public WITH CHECK (exists (select 1 from users u where u.id = (select nullif(current_setting('app.user_id', true), ''))::uuid and u.is_platform_admin) and "platform_audit_log"."actor_user_id" = (select nullif(current_setting('app.user_id', true), ''))::uuid);--> statement-breakpoint
CREATE POLICY "support_sessions_admin" ON "support_sessions" AS PERMISSIVE FOR ALL TO public USING ("support_sessions"."admin_user_id" = (select nullif(current_setting('app.user_id', true), ''))::uuid and exists (select 1 from users u where u.id = (select nullif(current_setting('app.user_id', true), ''))::uuid and u.is_platform_admin)) WITH CHECK ("support_sessions"."admin_user_id" = (select nullif(current_setting('app.user_id', true), ''))::uuid and exists (select 1 from users u where u.id = (select nullif(current_setting('app.user_id', true), ''))::uuid and u.is_platform_admin));--> statement-breakpoint
CREATE POLICY "platform_admins_all" ON "tenant_exports" AS PERMISSIVE FOR ALL TO public USING (exists (select 1 from users u where u.id = (select nullif(current_setting('app.user_id', true), ''))::uuid and u.is_platform_admin)) WITH CHECK (exists (select 1 from users u where u.id = (select nullif(current_setting('app.user_id', true), ''))::uuid and u.is_platform_admin));