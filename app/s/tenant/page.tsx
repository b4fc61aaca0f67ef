import type { Metadata } from "next";
import { serverCaller } from "@/server/caller";
import { pageCall } from "@/server/page-call";
import { NewProjectForm } from "./new-project-form";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage() {
  const caller = await serverCaller();
  const { items } = await pageCall(() => caller.project.list({ limit: 50 }));
  return (
    <main>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <h1 className="text-2xl font-bold">Projects</h1>
        <NewProjectForm />
      </div>
      {items.length === 0 ? (
        <p className="mt-8 rounded-md border border-dashed border-slate-300 p-8 text-center text-slate-600">
          No projects yet. Create the first one above.
        </p>
      ) : (
        <ul className="mt-6 divide-y divide-slate-200 rounded-md border border-slate-200 bg-white" aria-label="Projects">
          {items.map((p) => (
            <li key={p.id} className="flex items-center justify-between px-4 py-3" data-testid="project-row">
              <div>
                <p className="font-medium">{p.name}</p>
                {p.description ? <p className="text-sm text-slate-600">{p.description}</p> : null}
              </div>
              <span className={`rounded px-2 py-0.5 text-xs ${p.status === "active" ? "bg-emerald-50 text-emerald-800" : "bg-slate-100 text-slate-600"}`}>
                {p.status}
              </span>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
