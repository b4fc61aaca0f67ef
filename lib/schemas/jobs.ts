import { z } from "zod";
import { queues } from "@/server/jobs/queues";

const queueNames = Object.values(queues) as [string, ...string[]];

export const retryJobInput = z.strictObject({ queue: z.enum(queueNames), id: z.uuid() });
export type RetryJobInput = z.output<typeof retryJobInput>;
