import type { Metadata } from "next";
import Link from "next/link";
import { safeNextPath } from "@/lib/urls";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  const next = safeNextPath(callbackUrl);
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center p-6">
      <h1 className="text-2xl font-bold">Create your Canopy account</h1>
      <p className="mt-1 text-sm text-slate-600">
        Already have one?{" "}
        <Link className="text-emerald-700 underline" href={`/signin${next === "/" ? "" : `?callbackUrl=${encodeURIComponent(next)}`}`}>
          Sign in
        </Link>
      </p>
      <SignUpForm callbackUrl={next} />
    </main>
  );
}
