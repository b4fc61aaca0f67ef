"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Field } from "@/app/field";
import { adminSlugSchema, createTenantInput, plans } from "@/lib/schemas/admin";
import { slugProblem } from "@/lib/slug";
import { useTRPC } from "@/lib/trpc/react";
import { button } from "../_components/ui";
import { useHydrated } from "@/lib/use-hydrated";

/** Flat for the form; mapped to createTenantInput (owner as a tagged union) on submit. */
const wizardSchema = z.object({
  name: createTenantInput.shape.name,
  slug: adminSlugSchema,
  ownerKind: z.enum(["existing", "invite"]),
  ownerEmail: z.email("Enter a valid email").max(320),
  plan: z.enum(plans, { error: "Choose a plan" }),
});
type WizardInput = z.input<typeof wizardSchema>;
type WizardOutput = z.output<typeof wizardSchema>;

const steps = ["Name and address", "Owner", "Plan"] as const;
const suggestSlug = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);

export function OnboardingWizard({ rootDomain }: { rootDomain: string }) {
  const trpc = useTRPC();
  const [step, setStep] = useState(0);
  const hydrated = useHydrated();
  const [created, setCreated] = useState<{ id: string; url: string; name: string; invited: boolean } | null>(null);
  const form = useForm<WizardInput, unknown, WizardOutput>({
    resolver: zodResolver(wizardSchema),
    defaultValues: { name: "", slug: "", ownerKind: "existing", ownerEmail: "", plan: "free" },
    mode: "onTouched",
  });
  const slug = form.watch("slug").trim().toLowerCase();
  const ownerKind = form.watch("ownerKind");
  const availability = useQuery({ ...trpc.admin.tenants.slugAvailable.queryOptions({ slug }), enabled: slug.length > 0 });
  const create = useMutation(trpc.admin.tenants.create.mutationOptions());
  const { errors, isSubmitting } = form.formState;
  const liveProblem = slug.length > 0 && availability.data && !availability.data.available ? (availability.data.reason ?? "Not available") : undefined;

  const next = async () => {
    const fields = step === 0 ? (["name", "slug"] as const) : (["ownerKind", "ownerEmail"] as const);
    if (!(await form.trigger(fields))) return;
    if (step === 0) {
      const fresh = await availability.refetch();
      if (!fresh.data?.available) {
        form.setError("slug", { message: fresh.data?.reason ?? slugProblem(slug) ?? "Could not check this address; try again" });
        return;
      }
    }
    setStep((s) => s + 1);
  };

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const result = await create.mutateAsync({ name: values.name, slug: values.slug, plan: values.plan, owner: { kind: values.ownerKind, email: values.ownerEmail } });
      toast.success(`${result.name} is live at ${result.slug}.${rootDomain}`);
      setCreated({ id: result.id, url: result.url, name: result.name, invited: result.owner.kind === "invitation" });
    } catch (error) {
      const data = (error as { data?: { fieldErrors?: Record<string, string[] | undefined> | null; code?: string } }).data;
      const message = (error as Error).message;
      if (data?.fieldErrors?.slug?.[0] || data?.code === "CONFLICT") {
        form.setError("slug", { message: data?.fieldErrors?.slug?.[0] ?? message });
        setStep(0);
      } else if (/owner|account|email/i.test(message)) {
        form.setError("ownerEmail", { message });
        setStep(1);
      } else toast.error(message);
    }
  });

  if (created) {
    return (
      <section className="mt-6 rounded-md border border-emerald-200 bg-emerald-50 p-4" aria-live="polite">
        <h2 className="text-lg font-semibold">Tenant created</h2>
        <p className="mt-1 text-sm">
          {created.name} answers at{" "}
          <a href={created.url} className="text-emerald-800 underline">
            {created.url}
          </a>
          .{created.invited ? " The owner has been sent an invitation." : ""}
        </p>
        <p className="mt-3 flex gap-3 text-sm">
          <a href={`/tenants/${created.id}`} className="text-emerald-800 underline">
            Manage this tenant
          </a>
          <a href="/new" className="text-emerald-800 underline">
            Onboard another
          </a>
        </p>
      </section>
    );
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate className="mt-6 space-y-4 rounded-md border border-slate-200 bg-white p-4" aria-labelledby="wizard-step">
      <ol className="flex gap-2 text-xs text-slate-500" aria-label="Steps">
        {steps.map((label, i) => (
          <li key={label} aria-current={i === step ? "step" : undefined} className={i === step ? "font-semibold text-emerald-800" : ""}>
            {i + 1}. {label}
          </li>
        ))}
      </ol>
      <h2 id="wizard-step" className="text-lg font-semibold">
        {steps[step]}
      </h2>
      {step === 0 ? (
        <>
          <Field
            label="Tenant name"
            error={errors.name?.message}
            {...form.register("name", {
              onChange: (e: { target: { value: string } }) => {
                if (!form.getFieldState("slug").isDirty) form.setValue("slug", suggestSlug(e.target.value));
              },
            })}
          />
          <Field
            label="Address"
            error={(slug.length > 0 ? slugProblem(slug) : null) ?? errors.slug?.message ?? liveProblem}
            hint={`${slug || "tenant"}.${rootDomain}${availability.data?.available ? " is available" : ""}`}
            autoCapitalize="none"
            spellCheck={false}
            {...form.register("slug")}
          />
        </>
      ) : null}
      {step === 1 ? (
        <>
          <fieldset>
            <legend className="text-sm font-medium">Owner</legend>
            <label className="mt-2 flex items-center gap-2 text-sm">
              <input type="radio" value="existing" {...form.register("ownerKind")} /> An existing Canopy user
            </label>
            <label className="mt-1 flex items-center gap-2 text-sm">
              <input type="radio" value="invite" {...form.register("ownerKind")} /> Invite by email
            </label>
          </fieldset>
          <Field
            label="Owner email"
            type="email"
            autoComplete="off"
            error={errors.ownerEmail?.message}
            hint={ownerKind === "invite" ? "They get an invitation to become the owner." : "They become the owner at once."}
            {...form.register("ownerEmail")}
          />
        </>
      ) : null}
      {step === 2 ? (
        <fieldset>
          <legend className="text-sm font-medium">Plan</legend>
          {plans.map((p) => (
            <label key={p} className="mt-2 flex items-center gap-2 text-sm capitalize">
              <input type="radio" value={p} {...form.register("plan")} /> {p}
            </label>
          ))}
          {errors.plan ? <p className="mt-1 text-sm text-red-700">{errors.plan.message}</p> : null}
        </fieldset>
      ) : null}
      <div className="flex justify-between">
        <button type="button" className={button("secondary")} onClick={() => setStep((s) => Math.max(0, s - 1))} disabled={step === 0}>
          Back
        </button>
        {step < steps.length - 1 ? (
          // Distinct keys: reusing one <button> would turn it into the submit button mid-click and submit early.
          <button key="next" type="button" className={button()} disabled={!hydrated} onClick={() => void next()}>
            Next
          </button>
        ) : (
          <button key="submit" type="submit" className={button()} disabled={!hydrated || isSubmitting}>
            {isSubmitting ? "Creating…" : "Create tenant"}
          </button>
        )}
      </div>
    </form>
  );
}
