import type { Reply } from "../../reply.ts";

/** A reply as terminal text. */
export function renderText(r: Reply): string {
  const out: string[] = [];
  for (const b of r.blocks) {
    switch (b.type) {
      case "header":
        out.push(`== ${b.text} ==`);
        break;
      case "title":
      case "text":
        out.push(b.text);
        break;
      case "fields": {
        const width = Math.max(...b.fields.map((f) => f.label.length));
        for (const f of b.fields) out.push(`${f.label.padEnd(width)} : ${f.value}`);
        break;
      }
      case "list":
        for (const item of b.items) out.push(`  • ${item}`);
        break;
      case "context":
        out.push(`  ${b.text}`);
        break;
      case "actions":
        out.push(`  ${b.actions.map((a) => `[${a.label}]`).join(" ")}`);
        break;
    }
  }
  return out.join("\n");
}
