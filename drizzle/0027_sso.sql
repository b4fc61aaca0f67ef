CREATE TABLE "sso_domains" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"domain" text NOT NULL,
	"verification_token" text DEFAULT replace(gen_random_uuid()::text, '-', '') NOT NULL,
	"verified_at" timestamp with time zone,
	"last_checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sso_domains_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sso_domains_domain_lowercase" CHECK ("sso_domains"."domain" = lower("sso_domains"."domain"))
);
--> statement-breakpoint
ALTER TABLE "sso_domains" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sso_identities" (
	"tenant_id" uuid NOT NULL,
	"issuer" text NOT NULL,
	"subject" text NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sso_identities_pkey" PRIMARY KEY("tenant_id","issuer","subject")
);
--> statement-breakpoint
ALTER TABLE "sso_identities" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sso_sign_ins" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"browser_hash" text NOT NULL,
	"state" text NOT NULL,
	"nonce" text NOT NULL,
	"code_verifier" text NOT NULL,
	"email" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sso_sign_ins_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "sso_sign_ins" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tenant_sso" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret_sealed" text NOT NULL,
	"default_role" text DEFAULT 'member' NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_sso_default_role_check" CHECK ("tenant_sso"."default_role" in ('admin', 'member', 'viewer')),
	CONSTRAINT "tenant_sso_issuer_length" CHECK (char_length("tenant_sso"."issuer") <= 500),
	CONSTRAINT "tenant_sso_client_id_length" CHECK (char_length("tenant_sso"."client_id") between 1 and 500)
);
--> statement-breakpoint
ALTER TABLE "tenant_sso" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "sso_domains" ADD CONSTRAINT "sso_domains_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sso_identities" ADD CONSTRAINT "sso_identities_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sso_identities" ADD CONSTRAINT "sso_identities_user_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sso_sign_ins" ADD CONSTRAINT "sso_sign_ins_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_sso" ADD CONSTRAINT "tenant_sso_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sso_domains_verified_domain_key" ON "sso_domains" USING btree ("domain") WHERE "sso_domains"."verified_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "sso_domains_tenant_domain_key" ON "sso_domains" USING btree ("tenant_id","domain");--> statement-breakpoint
CREATE UNIQUE INDEX "sso_identities_tenant_issuer_user_key" ON "sso_identities" USING btree ("tenant_id","issuer","user_id");--> statement-breakpoint
CREATE INDEX "sso_identities_user_idx" ON "sso_identities" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sso_sign_ins_tenant_browser_key" ON "sso_sign_ins" USING btree ("tenant_id","browser_hash");--> statement-breakpoint
CREATE POLICY "users_sso_provision" ON "users" AS PERMISSIVE FOR INSERT TO "canopy_directory" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sso_domains" AS PERMISSIVE FOR ALL TO public USING ("tenant_id" = (select nullif(current_setting('app.tenant_id', true), ''))::uuid) WITH CHECK ("tenant_id" = (select nullif(current_setting('app.tenant_id', true), ''))::uuid);--> statement-breakpoint
CREATE POLICY "directory_read" ON "sso_domains" AS PERMISSIVE FOR SELECT TO "canopy_directory" USING (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sso_identities" AS PERMISSIVE FOR ALL TO public USING ("tenant_id" = (select nullif(current_setting('app.tenant_id', true), ''))::uuid) WITH CHECK ("tenant_id" = (select nullif(current_setting('app.tenant_id', true), ''))::uuid);--> statement-breakpoint
CREATE POLICY "directory_read" ON "sso_identities" AS PERMISSIVE FOR SELECT TO "canopy_directory" USING (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sso_sign_ins" AS PERMISSIVE FOR ALL TO public USING ("tenant_id" = (select nullif(current_setting('app.tenant_id', true), ''))::uuid) WITH CHECK ("tenant_id" = (select nullif(current_setting('app.tenant_id', true), ''))::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "tenant_sso" AS PERMISSIVE FOR ALL TO public USING ("tenant_id" = (select nullif(current_setting('app.tenant_id', true), ''))::uuid) WITH CHECK ("tenant_id" = (select nullif(current_setting('app.tenant_id', true), ''))::uuid);--> statement-breakpoint
CREATE POLICY "directory_read" ON "tenant_sso" AS PERMISSIVE FOR SELECT TO "canopy_directory" USING (true);--> statement-breakpoint
ALTER TABLE "tenant_sso" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "sso_domains" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "sso_identities" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "sso_sign_ins" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "tenant_sso", "sso_domains" TO canopy_app_rw;--> statement-breakpoint
-- Links are written only by app_sso_sign_in (which checks the IdP's subject against the address); the app reads them.
GRANT SELECT ON "sso_identities" TO canopy_app_rw;--> statement-breakpoint
GRANT SELECT, INSERT ON "sso_sign_ins" TO canopy_app_rw;--> statement-breakpoint
GRANT UPDATE ("used_at") ON "sso_sign_ins" TO canopy_app_rw;--> statement-breakpoint
GRANT SELECT ON "tenant_sso", "sso_domains" TO canopy_directory;--> statement-breakpoint
GRANT SELECT, INSERT ON "sso_identities" TO canopy_directory;--> statement-breakpoint
GRANT INSERT ON "memberships" TO canopy_directory;--> statement-breakpoint
GRANT INSERT ("email", "name", "email_verified_at") ON "users" TO canopy_directory;--> statement-breakpoint
GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO canopy_directory;--> statement-breakpoint

-- The workspace whose IdP answers for an email domain: its verified claim, SSO configured, the tenant active and not deleted.
CREATE FUNCTION public.app_sso_tenant_for_domain(p_domain text)
RETURNS TABLE (tenant_id uuid, slug text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT t.id, t.slug
  FROM public.sso_domains d
  JOIN public.tenant_sso s ON s.tenant_id = d.tenant_id
  JOIN public.tenants t ON t.id = d.tenant_id
  WHERE d.domain = lower(p_domain) AND d.verified_at IS NOT NULL AND t.status = 'active' AND t.deleted_at IS NULL
$$;--> statement-breakpoint

-- Whether a tenant other than the transaction's own has verified this SSO domain (says nothing about which one).
CREATE FUNCTION public.app_sso_domain_claimed_elsewhere(p_domain text)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.sso_domains d
    WHERE d.domain = lower(p_domain) AND d.verified_at IS NOT NULL
      AND d.tenant_id IS DISTINCT FROM (SELECT nullif(current_setting('app.tenant_id', true), ''))::uuid
  )
$$;--> statement-breakpoint

-- The "require SSO" rule: password sign-in is refused for an address whose account is a non-owner
-- member of an active workspace that requires SSO and has verified the address's domain. Owners keep
-- their password (break-glass, should the IdP fail).
CREATE FUNCTION public.app_sso_password_refused(p_email text)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT EXISTS (
    SELECT 1
    FROM public.users u
    JOIN public.memberships m ON m.user_id = u.id AND m.role <> 'owner'
    JOIN public.tenant_sso s ON s.tenant_id = m.tenant_id AND s.required
    JOIN public.sso_domains d ON d.tenant_id = m.tenant_id AND d.verified_at IS NOT NULL AND d.domain = split_part(u.email, '@', 2)
    JOIN public.tenants t ON t.id = m.tenant_id AND t.status = 'active' AND t.deleted_at IS NULL
    WHERE u.email = lower(p_email)
  )
$$;--> statement-breakpoint

-- An SSO sign-in the relying party has verified (issuer, audience, nonce, email_verified), in the
-- transaction's tenant: finds or links the account for the IdP subject, provisions a new account
-- (its address proven by the IdP) and the membership with the default role. Refusals write nothing
-- and say why in `outcome`: 'domain' (not a verified claim of this tenant, or another issuer),
-- 'subject_linked' (the subject is linked to another account), 'user_linked' (the account is linked
-- to another subject), 'unproven' (an account nobody proved holds the address).
CREATE FUNCTION public.app_sso_sign_in(p_issuer text, p_subject text, p_email text, p_name text)
RETURNS TABLE (signed_in_user uuid, outcome text, user_created boolean, member_created boolean, member_role text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
DECLARE
  v_tenant uuid := (SELECT nullif(current_setting('app.tenant_id', true), ''))::uuid;
  v_email text := lower(p_email);
  v_default text;
  v_linked uuid;
  v_user uuid;
  v_proven timestamptz;
BEGIN
  user_created := false;
  member_created := false;
  IF v_tenant IS NULL THEN
    RETURN;
  END IF;
  SELECT s.default_role INTO v_default FROM public.tenant_sso s WHERE s.tenant_id = v_tenant AND s.issuer = p_issuer;
  IF NOT FOUND OR NOT EXISTS (
    SELECT 1 FROM public.sso_domains d WHERE d.tenant_id = v_tenant AND d.verified_at IS NOT NULL AND d.domain = split_part(v_email, '@', 2)
  ) THEN
    outcome := 'domain';
    RETURN NEXT;
    RETURN;
  END IF;
  -- Two first sign-ins of one subject or one address at once: the second waits and then finds the first's link.
  PERFORM pg_advisory_xact_lock(hashtextextended('sso-subject:' || v_tenant::text || ':' || p_issuer || ':' || p_subject, 0));
  PERFORM pg_advisory_xact_lock(hashtextextended('sso-email:' || v_email, 0));
  SELECT i.user_id INTO v_linked FROM public.sso_identities i WHERE i.tenant_id = v_tenant AND i.issuer = p_issuer AND i.subject = p_subject;
  SELECT u.id, u.email_verified_at INTO v_user, v_proven FROM public.users u WHERE u.email = v_email;
  IF v_linked IS NOT NULL THEN
    IF v_user IS DISTINCT FROM v_linked THEN
      outcome := 'subject_linked';
      RETURN NEXT;
      RETURN;
    END IF;
  ELSE
    IF v_user IS NOT NULL THEN
      -- Matching an account by address is only safe once its holder proved that address.
      IF v_proven IS NULL THEN
        outcome := 'unproven';
        RETURN NEXT;
        RETURN;
      END IF;
      IF EXISTS (SELECT 1 FROM public.sso_identities i WHERE i.tenant_id = v_tenant AND i.issuer = p_issuer AND i.user_id = v_user) THEN
        outcome := 'user_linked';
        RETURN NEXT;
        RETURN;
      END IF;
    ELSE
      INSERT INTO public.users (email, name, email_verified_at) VALUES (v_email, p_name, now()) RETURNING id INTO v_user;
      user_created := true;
    END IF;
    INSERT INTO public.sso_identities (tenant_id, issuer, subject, user_id) VALUES (v_tenant, p_issuer, p_subject, v_user);
  END IF;
  INSERT INTO public.memberships (tenant_id, user_id, role) VALUES (v_tenant, v_user, v_default) ON CONFLICT DO NOTHING;
  member_created := FOUND;
  SELECT m.role INTO member_role FROM public.memberships m WHERE m.tenant_id = v_tenant AND m.user_id = v_user;
  signed_in_user := v_user;
  outcome := 'ok';
  RETURN NEXT;
END
$$;--> statement-breakpoint
ALTER FUNCTION public.app_sso_tenant_for_domain(text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_sso_domain_claimed_elsewhere(text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_sso_password_refused(text) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_sso_sign_in(text, text, text, text) OWNER TO canopy_directory;--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM canopy_directory;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_sso_tenant_for_domain(text) FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_sso_domain_claimed_elsewhere(text) FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_sso_password_refused(text) FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_sso_sign_in(text, text, text, text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_sso_tenant_for_domain(text) TO canopy_app_rw;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_sso_domain_claimed_elsewhere(text) TO canopy_app_rw;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_sso_password_refused(text) TO canopy_app_rw;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_sso_sign_in(text, text, text, text) TO canopy_app_rw;
