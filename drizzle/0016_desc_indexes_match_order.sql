-- The newest-first indexes were built DESC NULLS LAST, but the lists ask for ORDER BY ... DESC,
-- which is NULLS FIRST: no index matched, so every page sorted all of the tenant's rows (and a
-- backward scan, for the oldest-first order, did not match either). Rebuilt with PostgreSQL's
-- default null order for DESC; the columns are NOT NULL, so no result changes, only the plans
-- (tests/integration/index-order.test.ts). A plain CREATE INDEX blocks writes to its table while it
-- builds, which on a large installation means a maintenance window for this migration.
DROP INDEX "audit_log_tenant_created_idx";--> statement-breakpoint
DROP INDEX "invoices_tenant_created_idx";--> statement-breakpoint
DROP INDEX "projects_tenant_created_idx";--> statement-breakpoint
DROP INDEX "projects_tenant_status_idx";--> statement-breakpoint
DROP INDEX "platform_audit_log_created_idx";--> statement-breakpoint
DROP INDEX "tenant_exports_tenant_idx";--> statement-breakpoint
DROP INDEX "tenant_moves_tenant_idx";--> statement-breakpoint
CREATE INDEX "audit_log_tenant_created_idx" ON "audit_log" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "invoices_tenant_created_idx" ON "invoices" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "projects_tenant_created_idx" ON "projects" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "projects_tenant_status_idx" ON "projects" USING btree ("tenant_id","status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "platform_audit_log_created_idx" ON "platform_audit_log" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "tenant_exports_tenant_idx" ON "tenant_exports" USING btree ("tenant_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "tenant_moves_tenant_idx" ON "tenant_moves" USING btree ("tenant_id","created_at" DESC NULLS FIRST);