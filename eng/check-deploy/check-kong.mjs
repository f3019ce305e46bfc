// A structural check of Kong's declarative configuration (DB-less, _format_version 3.0) against the compose file.
// Hand-written because no Kong schema or linter installs here without a Docker engine (decK and `kong config parse`
// need Kong's own binaries). It checks what would stop Kong from loading the file or route traffic wrongly:
// known fields only, unique names, every route with paths under a service that exists, no path claimed twice,
// service URLs that point at compose services, the spec's routes present with the spec's paths.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const [kongFile, composeFile] = process.argv.slice(2);
const kong = parse(readFileSync(kongFile, 'utf8'));
const compose = parse(readFileSync(composeFile, 'utf8'), { merge: true });
const errors = [];
const fail = message => errors.push(`${kongFile}: ${message}`);

const serviceFields = new Set(['name', 'url', 'protocol', 'host', 'port', 'path', 'retries', 'connect_timeout',
  'read_timeout', 'write_timeout', 'tags', 'enabled', 'routes', 'plugins', 'client_certificate', 'tls_verify',
  'tls_verify_depth', 'ca_certificates']);
const routeFields = new Set(['name', 'paths', 'methods', 'hosts', 'headers', 'protocols', 'strip_path', 'preserve_host',
  'regex_priority', 'path_handling', 'https_redirect_status_code', 'request_buffering', 'response_buffering', 'tags',
  'plugins', 'snis', 'sources', 'destinations', 'expression', 'priority']);
const methods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);
const topLevel = new Set(['_format_version', '_transform', '_comment', 'services', 'routes', 'plugins', 'consumers',
  'upstreams', 'certificates', 'ca_certificates', 'snis', 'vaults']);
const timeouts = ['connect_timeout', 'read_timeout', 'write_timeout'];

if (kong?._format_version !== '3.0') fail('_format_version must be the string "3.0"');
for (const key of Object.keys(kong ?? {})) if (!topLevel.has(key)) fail(`unknown top-level key "${key}"`);
if (!Array.isArray(kong?.services) || kong.services.length === 0) fail('no services');

const serviceNames = new Set();
const routeNames = new Map();
const claimed = new Map();
for (const service of kong?.services ?? []) {
  const where = `service "${service.name}"`;
  if (!service.name) fail('a service without a name');
  if (serviceNames.has(service.name)) fail(`${where} is defined twice`);
  serviceNames.add(service.name);
  for (const key of Object.keys(service)) if (!serviceFields.has(key)) fail(`${where}: unknown field "${key}"`);
  for (const t of timeouts) if (t in service && !(Number.isInteger(service[t]) && service[t] > 0)) fail(`${where}: ${t} must be a positive integer (ms)`);
  if (!service.url && !service.host) fail(`${where}: needs a url or a host`);
  if (service.url) {
    let url;
    try { url = new URL(service.url); } catch { fail(`${where}: url "${service.url}" does not parse`); }
    if (url && !['http:', 'https:'].includes(url.protocol)) fail(`${where}: url must be http or https`);
    if (url && !(url.hostname in (compose.services ?? {}))) fail(`${where}: host "${url.hostname}" is not a compose service`);
  }
  if (!Array.isArray(service.routes) || service.routes.length === 0) fail(`${where}: no routes`);
  for (const route of service.routes ?? []) {
    const at = `route "${route.name}"`;
    if (!route.name) fail(`${where}: a route without a name`);
    if (routeNames.has(route.name)) fail(`${at} is defined twice`);
    routeNames.set(route.name, { service: service.name, paths: route.paths ?? [] });
    for (const key of Object.keys(route)) if (!routeFields.has(key)) fail(`${at}: unknown field "${key}"`);
    if (!Array.isArray(route.paths) || route.paths.length === 0) fail(`${at}: needs paths`);
    for (const path of route.paths ?? []) {
      if (typeof path !== 'string' || !(path.startsWith('/') || path.startsWith('~/'))) fail(`${at}: path ${JSON.stringify(path)} must start with / (or ~/ for a regex)`);
      for (const method of route.methods ?? ['*']) {
        const key = `${method} ${path}`;
        if (claimed.has(key)) fail(`${at}: ${key} is already routed by "${claimed.get(key)}"`);
        claimed.set(key, route.name);
      }
    }
    for (const method of route.methods ?? []) if (!methods.has(method)) fail(`${at}: unknown method "${method}"`);
    if ('strip_path' in route && typeof route.strip_path !== 'boolean') fail(`${at}: strip_path must be true or false`);
  }
}
if (Array.isArray(kong?.routes)) {
  for (const route of kong.routes) if (!serviceNames.has(route.service?.name ?? route.service)) fail(`route "${route.name}": service does not exist`);
}
for (const plugin of kong?.plugins ?? []) if (!plugin.name) fail('a plugin without a name');

// the spec's routes (phase 2, "Kong Routes"), plus the cameras API and the UI
const expected = {
  'storage-segments': ['storage-service', '/api/v1/storage/segments'],
  'storage-exports': ['storage-service', '/api/v1/storage/exports'],
  'recording-control': ['recording-service', '/api/v1/recording'],
  'metadata-search': ['metadata-service', '/api/v1/metadata'],
  'playback-hls': ['playback-service', '/api/v1/playback'],
  cameras: ['storage-service', '/api/v1/cameras'],
  ui: [null, '/'],
};
for (const [name, [service, path]] of Object.entries(expected)) {
  const route = routeNames.get(name);
  if (!route) fail(`the route "${name}" is missing`);
  else {
    if (service && route.service !== service) fail(`route "${name}" must go to ${service}, not ${route.service}`);
    if (!route.paths.includes(path)) fail(`route "${name}" must have the path ${path}`);
  }
}

// safe as shipped: HTTPS only with HSTS, and what is for the inside (metrics, the OpenAPI document) never proxied
for (const service of kong?.services ?? []) {
  for (const route of service.routes ?? []) {
    const terminated = (route.plugins ?? []).some(p => p.name === 'request-termination');
    if (terminated) continue;
    if (JSON.stringify(route.protocols) !== JSON.stringify(['https'])) fail(`route "${route.name}" must take https only (protocols: [https])`);
    if (route.https_redirect_status_code !== 308) fail(`route "${route.name}" must redirect plain HTTP to HTTPS (https_redirect_status_code: 308)`);
  }
}
const hsts = (kong?.plugins ?? []).find(p => p.name === 'response-transformer');
if (!(hsts?.config?.add?.headers ?? []).some(h => /^Strict-Transport-Security:max-age=\d{8,}/.test(h))) {
  fail('every answer needs Strict-Transport-Security with a max-age of a year or more (a global response-transformer)');
}
for (const internal of ['/metrics', '/openapi']) {
  const route = [...(kong?.services ?? [])].flatMap(s => s.routes ?? []).find(r => (r.paths ?? []).includes(internal));
  const terminated = route && (route.plugins ?? []).some(p => p.name === 'request-termination' && p.config?.status_code === 404);
  if (!terminated) fail(`${internal} must be answered 404 by Kong (a route with request-termination), never proxied to a service`);
}

if (errors.length > 0) {
  errors.forEach(e => console.error(e));
  process.exit(1);
}
console.log(`${kongFile}: ${serviceNames.size} services, ${routeNames.size} routes, structure valid`);
