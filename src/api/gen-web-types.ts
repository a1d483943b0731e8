// npm run gen:api: rewrites web/generated/api.ts from the routes' schemas.
import { writeFileSync } from 'node:fs';
import { WEB_TYPES_FILE, webTypesSource } from './web-types.js';

writeFileSync(WEB_TYPES_FILE, await webTypesSource());
process.stdout.write(`wrote ${WEB_TYPES_FILE}\n`);
