// Regenerates schema/newsmirror.schema.json from src/config/options.ts (a test fails when it is stale).
import { writeFileSync } from 'node:fs';
import { configJsonSchemaText } from '../src/config/json-schema.ts';

writeFileSync('schema/newsmirror.schema.json', configJsonSchemaText());
console.log('wrote schema/newsmirror.schema.json');
