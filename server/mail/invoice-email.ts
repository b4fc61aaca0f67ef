const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export type InvoiceEmailFacts = { customerName: string; seller: string; number: string; amountDue: string; dueDate: string; viewUrl: string | null };

/** "Your invoice": a short summary, the public view's link when there is one (the PDF is attached). */
export function invoiceEmail(f: InvoiceEmailFacts) {
  const subject = `Invoice ${f.number} from ${f.seller} (${f.amountDue})`;
  const text = [
    `Hello ${f.customerName},`,
    "",
    `${f.seller} sent you invoice ${f.number}.`,
    "",
    `Amount due: ${f.amountDue}`,
    `Due date: ${f.dueDate}`,
    ...(f.viewUrl ? ["", `View the invoice online: ${f.viewUrl}`] : []),
    "",
    "The invoice is attached as a PDF. Thank you.",
  ].join("\n");
  const html = `<p>Hello ${escapeHtml(f.customerName)},</p>
<p><strong>${escapeHtml(f.seller)}</strong> sent you invoice ${escapeHtml(f.number)}.</p>
<table role="presentation"><tr><td>Amount due</td><td><strong>${escapeHtml(f.amountDue)}</strong></td></tr><tr><td>Due date</td><td>${escapeHtml(f.dueDate)}</td></tr></table>
${f.viewUrl ? `<p><a href="${escapeHtml(f.viewUrl)}">View the invoice online</a></p>\n` : ""}<p>The invoice is attached as a PDF. Thank you.</p>`;
  return { subject, text, html };
}
