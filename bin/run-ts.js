#!/usr/bin/env node
import { resolve } from 'node:path';
// Runs a TypeScript entry file through tsx so the package works right after `npm ci`, with no build step.
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const [entry, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], resolve(entry), ...rest];
await import(pathToFileURL(resolve(entry)).href);
