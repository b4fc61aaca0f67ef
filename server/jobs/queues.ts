import type PgBoss from "pg-boss";

/**
 * Every queue Canopy uses, with its retry policy. Created by `npm run db:migrate` as the owner
 * role (pg-boss makes one partition per queue, which needs CREATE on its schema); the worker runs
 * as the application role and only reads and writes jobs.
 */
export const queues = {
  invoiceEmail: "invoice-email",
  overdueSweep: "overdue-sweep",
  overdueTenant: "overdue-tenant",
  emailDeliver: "email-deliver",
  accountEmailDeliver: "account-email-deliver",
  tenantExport: "tenant-export",
  domainReverify: "domain-reverify",
  tenantPurge: "tenant-purge",
  tenantMove: "tenant-move",
} as const;

export type QueueName = (typeof queues)[keyof typeof queues];

/** Retries with exponential backoff; a job that keeps failing stays `failed`, where admins see and retry it. */
export const queueOptions: Record<QueueName, Omit<PgBoss.Queue, "name">> = {
  "invoice-email": { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
  "overdue-sweep": { retryLimit: 2, retryDelay: 30, retryBackoff: true, expireInSeconds: 300 },
  "overdue-tenant": { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 },
  "email-deliver": { retryLimit: 8, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 },
  "account-email-deliver": { retryLimit: 8, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 },
  "tenant-export": { retryLimit: 2, retryDelay: 10, retryBackoff: true, expireInSeconds: 900 },
  "domain-reverify": { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 600 },
  "tenant-purge": { retryLimit: 2, retryDelay: 300, retryBackoff: true, expireInSeconds: 900 },
  // Never retried by itself: a failed move is resumed or rolled back by a person.
  "tenant-move": { retryLimit: 0, expireInSeconds: 3600 },
};

export const JOB_SCHEMA = "pgboss";
/** pg-boss's own queue for cron schedules. */
export const INTERNAL_QUEUES = ["__pgboss__send-it"];
