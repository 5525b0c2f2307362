// Optional request fields a server may refuse, and what to send instead: the same request once more
// without the field (or with its older name). What worked is remembered for the endpoint, so the
// refusal costs one round trip per run, not one per request.
import type { CapField } from './providers';

/** Fields Goalpost can do without; anything else a server refuses is a real error. */
export type OptionalField = 'max_completion_tokens' | 'max_tokens' | 'stream_options' | 'tool_choice';

/** How requests to one endpoint are shaped, learned from its refusals. */
export interface FieldPlan {
  /** The output-cap field, or null when the server refused both names. */
  capField: CapField | null;
  streamOptions: boolean;
  toolChoice: boolean;
}

/** The plan a provider starts with. */
export function initialPlan(capField: CapField): FieldPlan {
  return { capField, streamOptions: true, toolChoice: true };
}

/** Words servers use when they refuse a field: OpenAI, Azure, vLLM (pydantic), Rust and Go servers. */
const REFUSAL_RE = /unrecognized|unsupported|not supported|unknown (?:field|param|argument)|extra[ _]?(?:inputs?|forbidden|fields?)|not permitted|invalid (?:param|field|argument)|not allowed|unexpected (?:field|keyword|argument)/i;

/** The optional field a refusal names, if it names one this request sent. */
export function refusedField(message: string, sent: readonly OptionalField[]): OptionalField | null {
  if (!REFUSAL_RE.test(message)) return null;
  // Longest first: "max_completion_tokens" must not be read as "max_tokens"'s refusal, or vice versa.
  const ordered = [...sent].sort((a, b) => b.length - a.length);
  for (const field of ordered) {
    const re = new RegExp(`(^|[^a-z_])${field}([^a-z_]|$)`, 'i');
    if (re.test(message)) return field;
  }
  return null;
}

/** The plan after a refusal, or null when it changes nothing (then the error stands). */
export function withoutField(plan: FieldPlan, field: OptionalField, tried: ReadonlySet<string>): FieldPlan | null {
  switch (field) {
    case 'max_completion_tokens':
    case 'max_tokens': {
      if (plan.capField !== field) return null;
      const other: CapField = field === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
      // The older (or newer) name first; with both refused, no cap at all (the stream is still cut off).
      return { ...plan, capField: tried.has(other) ? null : other };
    }
    case 'stream_options':
      return plan.streamOptions ? { ...plan, streamOptions: false } : null;
    case 'tool_choice':
      return plan.toolChoice ? { ...plan, toolChoice: false } : null;
  }
}

/** The optional fields a request built with `plan` carries. */
export function sentFields(plan: FieldPlan, hasTools: boolean, hasCap: boolean): OptionalField[] {
  const out: OptionalField[] = [];
  if (hasCap && plan.capField) out.push(plan.capField);
  if (plan.streamOptions) out.push('stream_options');
  if (hasTools && plan.toolChoice) out.push('tool_choice');
  return out;
}
