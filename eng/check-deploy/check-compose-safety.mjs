// What "safe as shipped" means for the compose file, checked on its text before interpolation: no secret has a
// default (every ${VAR} is ${VAR:?message} but for the sizes listed below), every image is pinned to a release, the demo
// camera is off, the tools without authentication of their own (MinIO console, Prometheus, Alertmanager, the RTSP
// relay) are published on 127.0.0.1 only, Kong publishes HTTPS, and Prometheus has an Alertmanager to send alerts to.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const file = process.argv[2];
const text = readFileSync(file, 'utf8');
const compose = parse(text, { merge: true });
const errors = [];
const fail = message => errors.push(`${file}: ${message}`);
const withDefaults = new Set(['RECORDING_CPUS', 'RECORDING_MEMORY']);

const required = new Set();
for (const [, name, operator] of text.matchAll(/\$\{([A-Z0-9_]+)(:\?|:-|-|\?|)[^}]*\}/g)) {
  if (operator === ':?') required.add(name);
  else if (!withDefaults.has(name)) fail(`\${${name}} must be \${${name}:?message}: a missing value stops the deployment, never falls back`);
}
for (const [name, service] of Object.entries(compose.services ?? {})) {
  const image = service.image ?? '';
  if (image === 'footage:latest' && service.build) continue;
  if (!/:[^:]*\d/.test(image) || /:latest$/.test(image)) fail(`service ${name}: image "${image}" is not pinned to a release`);
  const env = service.environment ?? {};
  if (name !== 'kong' && Object.keys(env).some(k => k.startsWith('Footage__')) && env.Footage__Recording__DemoCamera__Enabled !== 'false') {
    fail(`service ${name}: the demo camera must be off (Footage__Recording__DemoCamera__Enabled: "false")`);
  }
  for (const port of service.ports ?? []) {
    const published = String(port);
    if (name === 'kong') continue;
    if (!published.startsWith('127.0.0.1:')) fail(`service ${name}: port ${published} must be published on 127.0.0.1 only (no authentication of its own)`);
  }
}
if (!(compose.services?.kong?.ports ?? []).some(p => String(p).endsWith(':8443'))) fail('kong must publish its HTTPS listener (8443)');
if (!/ssl/.test(compose.services?.kong?.environment?.KONG_PROXY_LISTEN ?? '')) fail('kong must listen with TLS (KONG_PROXY_LISTEN ... ssl)');
if (!compose.services?.alertmanager) fail('an alertmanager service must receive the alerts');
if (errors.length > 0) {
  errors.forEach(e => console.error(e));
  process.exit(1);
}
console.log([...required].sort().join('\n'));
