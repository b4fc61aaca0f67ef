export default function AdminHome() {
  return (
    <main className="mx-auto max-w-2xl p-8">
      <h1 className="text-2xl font-bold">Canopy platform admin</h1>
      <p className="mt-2 text-slate-600">Tenant operations arrive with the platform-admin issue.</p>
    </main>
  );
}
