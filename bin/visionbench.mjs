#!/usr/bin/env node
// The `visionbench` command. The engine is TypeScript run by tsx's loader: no build step
// stands between a clone and a working CLI.
import { register } from 'tsx/esm/api';

register();
await import('../main/cli/index.ts');
