// The JSON Schema of newsmirror.yaml for editors, derived from the zod schema so the two never disagree.
import { z } from 'zod';
import { configSchema } from './options.ts';

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    title: 'newsmirror.yaml',
    $id: 'https://github.com/newsmirror/newsmirror/schema/newsmirror.schema.json',
  };
}

/** The bytes of schema/newsmirror.schema.json, as scripts/gen-schema.ts writes them and the tests expect them. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
