import { PDFArray, PDFRawStream, decodePDFRawStream, type PDFDocument, type PDFObject } from "pdf-lib";

/** The text drawn on every page, one line per text operator: pdf-lib writes standard-font text as WinAnsi hex strings inside Flate-compressed content streams. */
export function pdfText(doc: PDFDocument): string {
  const streams: PDFObject[] = [];
  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    if (contents instanceof PDFArray) {
      for (let i = 0; i < contents.size(); i++) {
        const part = contents.lookup(i);
        if (part) streams.push(part);
      }
    } else if (contents) streams.push(contents);
  }
  let text = "";
  for (const stream of streams) {
    if (!(stream instanceof PDFRawStream)) continue;
    const ops = Buffer.from(decodePDFRawStream(stream).decode()).toString("latin1");
    for (const m of ops.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) text += `${Buffer.from(m[1]!, "hex").toString("latin1")}\n`;
  }
  return text;
}
