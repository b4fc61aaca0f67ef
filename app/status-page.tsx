import Link from "next/link";

export function StatusPage({ code, title, message }: { code: number; title: string; message: string }) {
  return (
    <main className="grid min-h-screen place-items-center p-8 text-center">
      <div>
        <p className="text-sm font-semibold text-emerald-700">{code}</p>
        <h1 className="mt-2 text-2xl font-bold">{title}</h1>
        <p className="mt-2 text-slate-600">{message}</p>
        <Link href="/" className="mt-6 inline-block text-emerald-700 underline">
          Go home
        </Link>
      </div>
    </main>
  );
}
