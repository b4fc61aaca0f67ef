ALTER TABLE "user_sessions" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invitations" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "auth_handoffs" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "auth_attempts" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "email_outbox" FORCE ROW LEVEL SECURITY;--> statement-breakpoint

GRANT SELECT, INSERT, UPDATE, DELETE ON "invitations", "api_keys" TO canopy_app_rw;--> statement-breakpoint
GRANT SELECT, INSERT ON "email_outbox" TO canopy_app_rw;--> statement-breakpoint
GRANT UPDATE ("status", "attempts", "last_error", "sent_at") ON "email_outbox" TO canopy_app_rw;--> statement-breakpoint
-- Sessions and hand-offs can be created and then only ended or used, never re-pointed at another user.
GRANT SELECT, INSERT ON "user_sessions", "auth_handoffs" TO canopy_app_rw;--> statement-breakpoint
GRANT UPDATE ("revoked_at") ON "user_sessions" TO canopy_app_rw;--> statement-breakpoint
GRANT UPDATE ("used_at") ON "auth_handoffs" TO canopy_app_rw;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "auth_attempts" TO canopy_directory;--> statement-breakpoint

-- Sign-in throttling, keyed by `email:<address>` and `ip:<address>`. The app role can only call
-- these; it can neither read who failed to sign in nor clear another key's counter at will.
CREATE FUNCTION public.app_auth_blocked_until(p_keys text[])
RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT max(a.blocked_until) FROM public.auth_attempts a WHERE a.key = ANY (p_keys) AND a.blocked_until > now()
$$;--> statement-breakpoint

CREATE FUNCTION public.app_auth_record_failure(p_keys text[], p_max integer, p_window_seconds integer, p_block_seconds integer)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
  INSERT INTO public.auth_attempts AS a (key, failures, window_started_at)
  SELECT k, 1, now() FROM unnest(p_keys) AS k
  ON CONFLICT (key) DO UPDATE SET
    failures = CASE WHEN a.window_started_at < now() - make_interval(secs => p_window_seconds) THEN 1 ELSE a.failures + 1 END,
    window_started_at = CASE WHEN a.window_started_at < now() - make_interval(secs => p_window_seconds) THEN now() ELSE a.window_started_at END;
  UPDATE public.auth_attempts a SET blocked_until = now() + make_interval(secs => p_block_seconds)
  WHERE a.key = ANY (p_keys) AND a.failures >= p_max;
END
$$;--> statement-breakpoint

CREATE FUNCTION public.app_auth_clear(p_key text)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$
  DELETE FROM public.auth_attempts a WHERE a.key = p_key AND (a.blocked_until IS NULL OR a.blocked_until <= now())
$$;--> statement-breakpoint

GRANT canopy_directory TO CURRENT_USER;--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_auth_blocked_until(text[]) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_auth_record_failure(text[], integer, integer, integer) OWNER TO canopy_directory;--> statement-breakpoint
ALTER FUNCTION public.app_auth_clear(text) OWNER TO canopy_directory;--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM canopy_directory;--> statement-breakpoint
REVOKE canopy_directory FROM CURRENT_USER;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.app_auth_blocked_until(text[]), public.app_auth_record_failure(text[], integer, integer, integer),
  public.app_auth_clear(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.app_auth_blocked_until(text[]), public.app_auth_record_failure(text[], integer, integer, integer),
  public.app_auth_clear(text) TO canopy_app_rw;
