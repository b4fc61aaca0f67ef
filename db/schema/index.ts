export * from "./_shared";
export * from "./audit";
export * from "./invoices";
export * from "./projects";
export * from "./tenants";
export * from "./users";
