import { spawn, type ChildProcess } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import https from "node:https";
import path from "node:path";

/** Debian's Caddy (`apt-get install caddy`), looked up when asked (npm test may install it first). */
export const caddyBin = (): string | null => [process.env.CADDY_PATH, "/usr/bin/caddy", "/usr/local/bin/caddy"].find((p): p is string => Boolean(p && existsSync(p))) ?? null;

export type CaddyOptions = {
  rootDomain: string;
  httpPort: number;
  httpsPort: number;
  /** The app servers' loopback ports, load balanced round robin. */
  upstreams: number[];
  /** Caddy's certificates and CA keys: inside the project, never $HOME. */
  storageDir: string;
};

/** HSTS as the app's middleware sends it (lib/security-headers.ts), on every response Caddy serves. */
const HSTS = "max-age=63072000; includeSubDomains";

/**
 * The Caddyfile of `npm run serve:cluster` (docs/deploy.md explains each part). Its own CA
 * (`tls internal`) signs `<root>` and `*.<root>` up front and verified custom domains on demand,
 * after the app's ask endpoint says yes.
 */
export function caddyfile(o: CaddyOptions): string {
  const upstreams = o.upstreams.map((port) => `localhost:${port}`).join(" ");
  // The ask goes straight to one app server: it answers only loopback callers that came through no proxy.
  const ask = `http://localhost:${o.upstreams[0]}/api/tls/ask`;
  return `{
	# No admin API: nothing on this machine can reconfigure the proxy over HTTP.
	admin off
	storage file_system ${JSON.stringify(o.storageDir)}
	# The internal CA's root stays in storage: never installed into the system's or a user's trust store.
	skip_install_trust
	local_certs
	# The redirect to HTTPS is the explicit http:// site below, which keeps the HTTPS port in the URL.
	auto_https disable_redirects
	http_port ${o.httpPort}
	https_port ${o.httpsPort}
	default_bind 127.0.0.1
	on_demand_tls {
		ask ${ask}
		# Caps certificate issuance even if the ask endpoint were fooled.
		interval 1m
		burst 10
	}
	log {
		level ERROR
	}
}

(canopy) {
	header {
		Strict-Transport-Security "${HSTS}"
		# Replace, not add to, the app's own copy.
		defer
	}
	# The certificate question and the middleware's resolver are for this machine only.
	@internal path /api/tls/* /api/internal/*
	respond @internal "Not found" 404
	reverse_proxy ${upstreams} {
		lb_policy round_robin
		# A server that is down or restarting is skipped, and a request is retried on the other.
		lb_try_duration 5s
		health_uri /api/health
		health_interval 2s
		health_timeout 2s
		fail_duration 10s
	}
}

${o.rootDomain}, *.${o.rootDomain} {
	tls internal
	import canopy
}

# Every name over plain HTTP: permanently to the same URL over HTTPS (308 keeps the method and body).
http:// {
	redir https://{host}:${o.httpsPort}{uri} 308
}

# Any other name: a tenant's custom domain, certified on first use if the app says it is verified.
https:// {
	tls internal {
		on_demand
	}
	import canopy
}
`;
}

/** Where Caddy keeps its local CA's root certificate under `storageDir`. */
export const caddyRootCertificate = (storageDir: string) => path.join(storageDir, "pki", "authorities", "local", "root.crt");
export const caddyIntermediateCertificate = (storageDir: string) => path.join(storageDir, "pki", "authorities", "local", "intermediate.crt");

/** base64(sha256(SubjectPublicKeyInfo)): what Chromium's --ignore-certificate-errors-spki-list takes. */
export function spkiHash(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

export type RunningCaddy = { child: ChildProcess; rootCertificate: string; caddyfilePath: string };

/** Starts `caddy run` on the generated Caddyfile, with every bit of its state under `dir`. */
export function startCaddy(o: Omit<CaddyOptions, "storageDir"> & { dir: string }): RunningCaddy {
  const bin = caddyBin();
  if (!bin) throw new Error("caddy is not installed (apt-get install caddy)");
  const dir = path.resolve(o.dir);
  const storageDir = path.join(dir, "data");
  mkdirSync(path.join(dir, "config"), { recursive: true });
  mkdirSync(storageDir, { recursive: true });
  const caddyfilePath = path.join(dir, "Caddyfile");
  writeFileSync(caddyfilePath, caddyfile({ ...o, storageDir }));
  // HOME and XDG_* point inside the project too, so nothing Caddy writes lands in the user's home.
  const env: NodeJS.ProcessEnv = { NODE_ENV: "production", PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, XDG_DATA_HOME: storageDir, XDG_CONFIG_HOME: path.join(dir, "config") };
  const child = spawn(bin, ["run", "--config", caddyfilePath, "--adapter", "caddyfile"], { env, stdio: ["ignore", "pipe", "pipe"] });
  return { child, rootCertificate: caddyRootCertificate(storageDir), caddyfilePath };
}

/** One HTTPS GET through Caddy, trusting only its local root: the status, or null if it did not answer. */
export function httpsStatus(o: { port: number; host: string; path: string; ca: string }): Promise<number | null> {
  return new Promise((resolve) => {
    const req = https.get({ host: "127.0.0.1", port: o.port, servername: o.host, headers: { host: `${o.host}:${o.port}` }, path: o.path, ca: o.ca, agent: false, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(null));
  });
}

/** Reads a PEM file, or null while it does not exist yet. */
export const readPem = (file: string): string | null => (existsSync(file) ? readFileSync(file, "utf8") : null);
