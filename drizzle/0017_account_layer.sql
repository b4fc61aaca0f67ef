CREATE TABLE "account_emails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"text_body" text NOT NULL,
	"html_body" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_emails_status_check" CHECK ("account_emails"."status" in ('pending', 'sent', 'captured', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "account_emails" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "email_verifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"email" text NOT NULL,
	"token_hash" text NOT NULL,
	"next_path" text DEFAULT '/' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "email_verifications" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_role_check";--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "scopes" text[];--> statement-breakpoint
-- Keys had roles; a viewer key could only read, the others could also write projects and invoices.
UPDATE "api_keys" SET "scopes" = CASE WHEN "role" = 'viewer' THEN array['projects:read', 'invoices:read'] ELSE array['projects:read', 'projects:write', 'invoices:read', 'invoices:write'] END;--> statement-breakpoint
ALTER TABLE "api_keys" ALTER COLUMN "scopes" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "auth_handoffs" ADD COLUMN "verifier_hash" text;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "invited_by_api_key_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "account_emails" ADD CONSTRAINT "account_emails_user_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_verifications" ADD CONSTRAINT "email_verifications_user_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_emails_user_status_idx" ON "account_emails" USING btree ("user_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "email_verifications_token_key" ON "email_verifications" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "email_verifications_user_idx" ON "email_verifications" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "api_keys" DROP COLUMN "role";--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_scopes_check" CHECK ("api_keys"."scopes" <@ array['projects:read', 'projects:write', 'invoices:read', 'invoices:write']::text[] and cardinality("api_keys"."scopes") > 0);--> statement-breakpoint
CREATE POLICY "account_emails_self" ON "account_emails" AS PERMISSIVE FOR ALL TO public USING ("account_emails"."user_id" = (select nullif(current_setting('app.user_id', true), ''))::uuid) WITH CHECK ("account_emails"."user_id" = (select nullif(current_setting('app.user_id', true), ''))::uuid);--> statement-breakpoint
CREATE POLICY "email_verifications_self" ON "email_verifications" AS PERMISSIVE FOR ALL TO public USING ("email_verifications"."user_id" = (select nullif(current_setting('app.user_id', true), ''))::uuid) WITH CHECK ("email_verifications"."user_id" = (select nullif(current_setting('app.user_id', true), ''))::uuid);--> statement-breakpoint
ALTER TABLE "account_emails" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "email_verifications" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT ON "account_emails" TO canopy_app_rw;--> statement-breakpoint
GRANT UPDATE ("status", "attempts", "last_error", "sent_at") ON "account_emails" TO canopy_app_rw;--> statement-breakpoint
-- Proofs are created by the app and consumed only through app_confirm_email.
GRANT SELECT, INSERT ON "email_verifications" TO canopy_app_rw;--> statement-breakpoint
GRANT UPDATE ("verifier_hash") ON "auth_handoffs" TO canopy_app_rw;--> statement-breakpoint
-- The app role may create a user, never an already-verified one: a proof is the only way to verified.
CREATE POLICY "users_insert_unverified" ON "users" AS RESTRICTIVE FOR INSERT TO canopy_app_rw WITH CHECK ("users"."email_verified_at" IS NULL);--> statement-breakpoint
-- A changed address is an unproven one, whoever changes it.
CREATE FUNCTION public.app_users_email_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
  IF NEW.email IS DISTINCT FROM OLD.email THEN
    NEW.email_verified_at := NULL;
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER users_email_changed BEFORE UPDATE OF email ON public.users FOR EACH ROW EXECUTE FUNCTION public.app_users_email_changed();--> statement-breakpoint

-- Consumes one address proof of the current user (app.user_id): unused, unexpired, and for the
-- address the account has now. The only way email_verified_at is set (the app role has no grant).
CREATE FUNCTION public.app_confirm_email(p_token_hash text)
RETURNS TABLE (email text, next_path text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
DECLARE
  v_user uuid := (SELECT nullif(current_setting('app.user_id', true), ''))::uuid;
  v_email text;
  v_next text;
BEGIN
  IF v_user IS NULL THEN
    RETURN;
  END IF;
  UPDATE public.email_verifications v SET used_at = now()
  WHERE v.token_hash = p_token_hash AND v.user_id = v_user AND v.used_at IS NULL AND v.expires_at > now()
    AND v.email = (SELECT u.email FROM public.users u WHERE u.id = v_user)
  RETURNING v.email, v.next_path INTO v_email, v_next;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  UPDATE public.users u SET email_verified_at = coalesce(u.email_verified_at, now()) WHERE u.id = v_user;
  email := v_email;
  next_path := v_next;
  RETURN NEXT;
END
$$;--> statement-breakpoint
GRANT SELECT, UPDATE ("used_at") ON "email_verifications" TO canopy_directory;--> statement-breakpoint
GRANT UPDATE ("email_verified_at") ON "users" TO canopy_directory;--> statement-breakpoint
GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_confirm_email(text) OWNER TO canopy_directory;--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM canopy_directory;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_confirm_email(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_confirm_email(text) TO canopy_app_rw;
--> statement-breakpoint
-- Onboarding makes an existing account the owner directly only when its address is proven;
-- otherwise the owner is invited, and joins once they have proven it.
GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.app_admin_user_by_email(p_email text)
RETURNS TABLE (id uuid, email text, name text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
#variable_conflict use_column
BEGIN
  PERFORM public.app_admin_assert();
  RETURN QUERY SELECT u.id, u.email, u.name FROM public.users u WHERE u.email = lower(p_email) AND u.email_verified_at IS NOT NULL;
END
$$;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;
