import { connection } from "next/server";
import { env } from "@/lib/env";
import { OnboardingWizard } from "./onboarding-wizard";

export const metadata = { title: "Onboard a tenant" };

export default async function NewTenantPage() {
  // The root domain is runtime configuration: render per request, never at build time.
  await connection();
  return (
    <div className="max-w-xl">
      <h1 className="text-2xl font-bold">Onboard a tenant</h1>
      <OnboardingWizard rootDomain={env().ROOT_DOMAIN} />
    </div>
  );
}
