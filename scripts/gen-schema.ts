// Regenerates schema/newsmirror.schema.json from src/config/options.ts (a test fails when it is stale).
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/config/json-schema.ts';

writeFileSync('schema/newsmirror.schema.json', `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log('wrote schema/newsmirror.schema.json');
