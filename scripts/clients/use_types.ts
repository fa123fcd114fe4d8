// Type-checked (tsc --strict) against the types openapi-typescript generates from
// openapi.yaml: fails to compile if a schema a TypeScript client relies on goes missing
// or changes shape.
import type { components, paths } from "./schema";

type Annotation = components["schemas"]["Annotation"];
type Quote = components["schemas"]["Quote"];
type Request = paths["/v1/annotate"]["post"]["requestBody"]["content"]["application/json"];
type Answer = paths["/v1/annotate"]["post"]["responses"]["200"]["content"]["application/json"];

export const request: Request = { id: "seed", text: "Kerry said.", options: null };
export const withOptions: Request = { html: "<p>Kerry said.</p>", options: { quotes: false, offsets: "utf16" } };

export function speakers(a: Answer): string[] {
  return a.quotes.map((q: Quote) => q.speaker_entity ?? "unattributed");
}

export function bodyText(a: Annotation, q: Quote): string {
  const first = q.content[0];
  // BodySpan offsets are numbers, never null.
  return a.text.slice(first.start, first.end);
}
