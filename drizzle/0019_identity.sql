CREATE TABLE "password_resets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "password_resets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "email_verifications" ADD COLUMN "purpose" text DEFAULT 'verify' NOT NULL;--> statement-breakpoint
ALTER TABLE "user_sessions" ADD COLUMN "user_agent" text;--> statement-breakpoint
ALTER TABLE "user_sessions" ADD COLUMN "last_seen_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_user_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "password_resets_token_key" ON "password_resets" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "password_resets_user_idx" ON "password_resets" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "email_verifications" ADD CONSTRAINT "email_verifications_purpose_check" CHECK ("email_verifications"."purpose" in ('verify', 'change'));--> statement-breakpoint
CREATE POLICY "password_resets_self" ON "password_resets" AS PERMISSIVE FOR ALL TO public USING ("password_resets"."user_id" = (select nullif(current_setting('app.user_id', true), ''))::uuid) WITH CHECK ("password_resets"."user_id" = (select nullif(current_setting('app.user_id', true), ''))::uuid);--> statement-breakpoint
CREATE POLICY "directory_all" ON "password_resets" AS PERMISSIVE FOR ALL TO "canopy_directory" USING (true) WITH CHECK (true);--> statement-breakpoint
ALTER TABLE "password_resets" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Reset links are created by the app and read or consumed only through the definer functions below:
-- no SELECT, so no code path of the app role can list them, even its own user's.
GRANT INSERT ON "password_resets" TO canopy_app_rw;--> statement-breakpoint
GRANT SELECT, UPDATE ("used_at") ON "password_resets" TO canopy_directory;--> statement-breakpoint
GRANT UPDATE ("last_seen_at") ON "user_sessions" TO canopy_app_rw;--> statement-breakpoint
-- An address takes effect only once proven (app_confirm_email_change): the app role cannot set one.
REVOKE UPDATE ("email") ON "users" FROM canopy_app_rw;--> statement-breakpoint
GRANT UPDATE ("email", "updated_at") ON "users" TO canopy_directory;--> statement-breakpoint
GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO canopy_directory;--> statement-breakpoint

-- Whose reset link this is, if it is still good (unused, unexpired); nothing otherwise. Run before the
-- user is known, so it answers one hash at a time and never lists rows.
CREATE FUNCTION public.app_password_reset_user(p_token_hash text)
RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT r.user_id FROM public.password_resets r
  WHERE r.token_hash = p_token_hash AND r.used_at IS NULL AND r.expires_at > now();
$$;--> statement-breakpoint

-- Uses up one reset link of the current user (app.user_id), and with it every other link of theirs
-- still outstanding: after a reset no older link can reset the password again. The UPDATE's row lock
-- makes two concurrent uses of one link succeed once.
CREATE FUNCTION public.app_consume_password_reset(p_token_hash text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
DECLARE
  v_user uuid := (SELECT nullif(current_setting('app.user_id', true), ''))::uuid;
BEGIN
  IF v_user IS NULL THEN
    RETURN false;
  END IF;
  UPDATE public.password_resets r SET used_at = now()
  WHERE r.token_hash = p_token_hash AND r.user_id = v_user AND r.used_at IS NULL AND r.expires_at > now();
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  UPDATE public.password_resets r SET used_at = now() WHERE r.user_id = v_user AND r.used_at IS NULL;
  RETURN true;
END
$$;--> statement-breakpoint

-- After a password change: links mailed before it can no longer reset the new password.
CREATE FUNCTION public.app_void_password_resets()
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
DECLARE
  v_user uuid := (SELECT nullif(current_setting('app.user_id', true), ''))::uuid;
BEGIN
  IF v_user IS NOT NULL THEN
    UPDATE public.password_resets r SET used_at = now() WHERE r.user_id = v_user AND r.used_at IS NULL;
  END IF;
END
$$;--> statement-breakpoint

-- Proves an address for the account it already has; a proof of a new address (purpose 'change') is
-- only for app_confirm_email_change.
CREATE OR REPLACE FUNCTION public.app_confirm_email(p_token_hash text)
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
  WHERE v.token_hash = p_token_hash AND v.user_id = v_user AND v.purpose = 'verify' AND v.used_at IS NULL AND v.expires_at > now()
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

-- Moves the current user (app.user_id) to the new address a 'change' proof was mailed to: one use,
-- unexpired. The address is proven by this very link, so it is verified from this moment; other
-- pending changes are voided. An address another account took meanwhile fails on users_email_key.
CREATE FUNCTION public.app_confirm_email_change(p_token_hash text)
RETURNS TABLE (email text, previous_email text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
DECLARE
  v_user uuid := (SELECT nullif(current_setting('app.user_id', true), ''))::uuid;
  v_new text;
  v_old text;
BEGIN
  IF v_user IS NULL THEN
    RETURN;
  END IF;
  UPDATE public.email_verifications v SET used_at = now()
  WHERE v.token_hash = p_token_hash AND v.user_id = v_user AND v.purpose = 'change' AND v.used_at IS NULL AND v.expires_at > now()
  RETURNING v.email INTO v_new;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  UPDATE public.email_verifications v SET used_at = now() WHERE v.user_id = v_user AND v.purpose = 'change' AND v.used_at IS NULL;
  SELECT u.email INTO v_old FROM public.users u WHERE u.id = v_user FOR UPDATE;
  -- The trigger clears email_verified_at on a changed address; this link is its proof, so it is set after.
  UPDATE public.users u SET email = v_new, updated_at = now() WHERE u.id = v_user;
  UPDATE public.users u SET email_verified_at = now() WHERE u.id = v_user;
  email := v_new;
  previous_email := v_old;
  RETURN NEXT;
END
$$;--> statement-breakpoint
ALTER FUNCTION public.app_password_reset_user(text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_consume_password_reset(text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_void_password_resets() OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_confirm_email_change(text) OWNER TO canopy_directory;--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM canopy_directory;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_password_reset_user(text) FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_consume_password_reset(text) FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_void_password_resets() FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_confirm_email_change(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_password_reset_user(text) TO canopy_app_rw;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_consume_password_reset(text) TO canopy_app_rw;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_void_password_resets() TO canopy_app_rw;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_confirm_email_change(text) TO canopy_app_rw;
