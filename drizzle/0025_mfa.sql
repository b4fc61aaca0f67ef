CREATE TABLE "mfa_challenges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"host" text,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mfa_challenges" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "mfa_recovery_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mfa_recovery_codes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "user_mfa" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"enabled_at" timestamp with time zone,
	"last_used_step" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_mfa_secret_format" CHECK ("user_mfa"."secret_ciphertext" ~ '^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$')
);
--> statement-breakpoint
ALTER TABLE "user_mfa" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "mfa_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "mfa_challenges" ADD CONSTRAINT "mfa_challenges_user_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mfa_recovery_codes" ADD CONSTRAINT "mfa_recovery_codes_user_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_mfa" ADD CONSTRAINT "user_mfa_user_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mfa_challenges_token_key" ON "mfa_challenges" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "mfa_challenges_user_idx" ON "mfa_challenges" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mfa_recovery_codes_user_hash_key" ON "mfa_recovery_codes" USING btree ("user_id","code_hash");--> statement-breakpoint
CREATE POLICY "mfa_challenges_self" ON "mfa_challenges" AS PERMISSIVE FOR ALL TO public USING ("mfa_challenges"."user_id" = (select nullif(current_setting('app.user_id', true), ''))::uuid) WITH CHECK ("mfa_challenges"."user_id" = (select nullif(current_setting('app.user_id', true), ''))::uuid);--> statement-breakpoint
CREATE POLICY "mfa_recovery_codes_self" ON "mfa_recovery_codes" AS PERMISSIVE FOR ALL TO public USING ("mfa_recovery_codes"."user_id" = (select nullif(current_setting('app.user_id', true), ''))::uuid) WITH CHECK ("mfa_recovery_codes"."user_id" = (select nullif(current_setting('app.user_id', true), ''))::uuid);--> statement-breakpoint
CREATE POLICY "user_mfa_self" ON "user_mfa" AS PERMISSIVE FOR ALL TO public USING ("user_mfa"."user_id" = (select nullif(current_setting('app.user_id', true), ''))::uuid) WITH CHECK ("user_mfa"."user_id" = (select nullif(current_setting('app.user_id', true), ''))::uuid);--> statement-breakpoint
ALTER TABLE "user_mfa" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "mfa_recovery_codes" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "mfa_challenges" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- A user's own authenticator: enrolled, confirmed, used (last step) and removed by its user only (RLS).
GRANT SELECT, INSERT, DELETE ON "user_mfa" TO canopy_app_rw;--> statement-breakpoint
GRANT UPDATE ("secret_ciphertext", "enabled_at", "last_used_step", "updated_at") ON "user_mfa" TO canopy_app_rw;--> statement-breakpoint
-- Codes are replaced as a set (delete + insert) and used up by setting used_at; a hash never changes.
GRANT SELECT, INSERT, DELETE ON "mfa_recovery_codes" TO canopy_app_rw;--> statement-breakpoint
GRANT UPDATE ("used_at") ON "mfa_recovery_codes" TO canopy_app_rw;--> statement-breakpoint
GRANT SELECT, INSERT ON "mfa_challenges" TO canopy_app_rw;--> statement-breakpoint
GRANT UPDATE ("used_at") ON "mfa_challenges" TO canopy_app_rw;--> statement-breakpoint
-- A workspace's owner turns the requirement on and off (the procedure checks the role; RLS the tenant).
GRANT UPDATE ("mfa_required") ON "tenants" TO canopy_app_rw;
