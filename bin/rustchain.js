#!/usr/bin/env node
import { main } from '../dist/src-main/cli/main.js';

await main(process.argv);
