ALTER TABLE "invoices" ADD COLUMN "paid_on" date;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "payment_method" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_payment_method_check" CHECK ("invoices"."payment_method" in ('bank_transfer', 'card', 'cash', 'cheque', 'other'));--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_payment_only_when_paid" CHECK ("invoices"."status" = 'paid' or ("invoices"."paid_on" is null and "invoices"."payment_method" is null));--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_paid_on_after_issue" CHECK ("invoices"."paid_on" >= "invoices"."issue_date");