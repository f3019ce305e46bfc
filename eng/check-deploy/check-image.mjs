// Checks deploy/Dockerfile without a Docker engine, and stages what its build stage would build:
//   - lint: dockerfile-utils (the validator of the Dockerfile language server): unknown instructions, bad flags,
//     malformed arguments, duplicate stage names...
//   - the build stage copies every project file Footage.Server needs for its restore, and each COPY source exists
//   - its RUN lines are the restore and publish of Footage.Server; the runtime stage copies the published folder
//     into its WORKDIR and its ENTRYPOINT runs a dll of it; the HTTP port is the one exposed and health-checked
//   - the compose services built from this Dockerfile keep its entry point and name valid modules
// Then it stages the stages before the runtime one under the staging folder (each stage's filesystem in
// stages/<name>, the context's files copied as the Dockerfile copies them, .dockerignore applied) and writes build.sh
// (their COPY --from and RUN lines, in order), app (where the build stage's /app lands), entrypoint and port.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { parse } from 'yaml';

const [dockerfilePath, composeFile, staging] = process.argv.slice(2);
const root = resolve(dirname(dockerfilePath), '..');
const text = readFileSync(dockerfilePath, 'utf8');
const errors = [];
const fail = message => errors.push(`${dockerfilePath}: ${message}`);

for (const d of validate(text)) fail(`line ${d.range.start.line + 1}: ${d.message} (lint)`);

const dockerfile = DockerfileParser.parse(text);
const stages = [];
for (const instruction of dockerfile.getInstructions()) {
  if (instruction.getKeyword() === 'FROM') stages.push({ name: instruction.getBuildStage(), instructions: [] });
  else stages.at(-1)?.instructions.push(instruction);
}
const build = stages.find(s => s.name === 'build');
const runtime = stages.at(-1);
if (!build || stages.length < 2) fail('expected a "build" stage and a runtime stage');
const args = i => i.getArguments().map(a => a.getValue());
const flags = i => (i.getFlags?.() ?? []).map(f => f.toString());

// the stages before the runtime one, staged in order: each stage's filesystem is staging/<stage>, the context's
// COPYs are done here (.dockerignore applied), COPY --from and the RUN lines go to build.sh in the same order
const ignored = existsSync(`${dockerfilePath}.dockerignore`)
  ? readFileSync(`${dockerfilePath}.dockerignore`, 'utf8').split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'))
  : [];
const isIgnored = path => ignored.some(pattern => {
  const name = pattern.replace(/^\*\*\//, '').replace(/\/$/, '');
  return pattern.startsWith('**/') ? path.split('/').includes(name) : path === name || path.startsWith(`${name}/`);
});
const quote = word => `'${word.replaceAll("'", "'\\''")}'`;
const script = ['set -euo pipefail'];
const stageRoot = name => join(staging, 'stages', name);
const workdirs = {};
const copiedBeforeRestore = new Set();
let restored = false;
for (const stage of stages.slice(0, -1)) {
  let workdir = '/';
  const rootOf = stageRoot(stage.name);
  const inStage = path => join(rootOf, posix.resolve(workdir, path));
  mkdirSync(rootOf, { recursive: true });
  for (const instruction of stage.instructions) {
    const keyword = instruction.getKeyword();
    if (keyword === 'WORKDIR') {
      workdir = posix.resolve(workdir, args(instruction)[0]);
      mkdirSync(inStage('.'), { recursive: true });
    } else if (keyword === 'COPY') {
      const [dest, ...sources] = args(instruction).reverse();
      sources.reverse();
      const from = flags(instruction).find(f => f.startsWith('--from='))?.slice('--from='.length);
      for (const source of sources) {
        if (from) {
          if (!(from in workdirs)) { fail(`stage ${stage.name}: COPY --from=${from}: no such earlier stage`); continue; }
          const target = inStage(dest);
          script.push(`mkdir -p ${quote(target)} && cp -a ${quote(join(stageRoot(from), posix.resolve(workdirs[from], source)))}/. ${quote(target)}/`);
          continue;
        }
        const path = join(root, source);
        if (!existsSync(path)) { fail(`COPY ${source}: no such file in the build context`); continue; }
        const target = statSync(path).isFile() && dest.endsWith('/') ? join(inStage(dest), basename(source)) : inStage(dest);
        cpSync(path, target, { recursive: true, filter: src => !isIgnored(posix.relative(root, src).split('\\').join('/')) });
        if (stage.name === 'build' && !restored) copiedBeforeRestore.add(source.replace(/\/$/, ''));
      }
    } else if (keyword === 'RUN' && args(instruction)[0] === 'apt-get') {
      // the OS packages a build stage installs (the key-frame decoder's compiler and headers): this machine must have
      // them for the staged build to match (eng/install-dependencies.sh installs them); they are not installed here
      const words = args(instruction);
      const install = words.indexOf('install');
      const rest = install < 0 ? [] : words.slice(install + 1);
      const end = rest.indexOf('&&');
      const packages = (end < 0 ? rest : rest.slice(0, end)).filter(w => !w.startsWith('-'));
      if (packages.length === 0) fail(`stage ${stage.name}: an apt-get RUN that installs nothing this check can see`);
      for (const name of packages) {
        if (spawnSync('dpkg', ['-s', name], { stdio: 'ignore' }).status !== 0) fail(`stage ${stage.name}: installs ${name}, which this machine lacks: run eng/install-dependencies.sh`);
      }
    } else if (keyword === 'RUN') {
      const words = args(instruction);
      if (!(words[0] === 'dotnet' && ['restore', 'publish'].includes(words[1])) && !(words[0] === 'npm' && ['ci', 'run'].includes(words[1]))) {
        fail(`stage ${stage.name}: RUN ${words.join(' ')} is neither a dotnet restore/publish nor an npm ci/run: this check cannot stage it`);
      }
      if (stage.name === 'build' && words[1] === 'restore') restored = true;
      script.push(`(cd ${quote(inStage('.'))} && ${words.map(w => quote(w.startsWith('/') ? join(rootOf, w) : w)).join(' ')})`);
    }
  }
  workdirs[stage.name] = workdir;
}
const publish = build?.instructions.find(i => i.getKeyword() === 'RUN' && args(i)[1] === 'publish');
if (!publish || !args(publish).includes('/app')) fail('the build stage does not publish to /app');

// every project Footage.Server references, transitively, is copied before the restore
const needed = new Set();
const visit = project => {
  if (needed.has(project)) return;
  needed.add(project);
  const xml = readFileSync(join(root, project), 'utf8');
  for (const match of xml.matchAll(/<ProjectReference\s+Include="([^"]+)"/g)) {
    visit(posix.normalize(posix.join(posix.dirname(project), match[1].replaceAll('\\', '/'))));
  }
};
visit('src/Footage.Server/Footage.Server.csproj');
for (const project of needed) if (!copiedBeforeRestore.has(project)) fail(`${project} is not copied before the restore (the restore would miss it)`);
// .editorconfig holds the analyzer rules: without it the image's build is stricter than the repository's and fails
for (const file of ['global.json', 'Directory.Build.props', 'Directory.Packages.props', '.editorconfig']) {
  if (!copiedBeforeRestore.has(file)) fail(`${file} is not copied before the restore`);
}

// the runtime stage: the published folder, the entry point, the port
let runtimeWorkdir = '/';
let entrypoint;
const env = {};
let exposed;
let healthcheck = '';
for (const instruction of runtime?.instructions ?? []) {
  const keyword = instruction.getKeyword();
  if (keyword === 'WORKDIR') runtimeWorkdir = posix.resolve(runtimeWorkdir, args(instruction)[0]);
  if (keyword === 'COPY' && flags(instruction).includes('--from=build')) {
    const [source, dest] = args(instruction);
    if (source !== '/app' || posix.resolve(runtimeWorkdir, dest) !== runtimeWorkdir) fail('the runtime stage must copy the build stage\'s /app into its WORKDIR');
  }
  if (keyword === 'ENTRYPOINT') {
    try { entrypoint = JSON.parse(instruction.getArgumentsContent()); } catch { fail('ENTRYPOINT must be in exec form (a JSON array)'); }
  }
  if (keyword === 'ENV') for (const a of args(instruction)) { const [k, ...v] = a.split('='); env[k] = v.join('='); }
  if (keyword === 'EXPOSE') exposed = args(instruction)[0];
  if (keyword === 'HEALTHCHECK') healthcheck = args(instruction).join(' ');
}
if (!Array.isArray(entrypoint) || entrypoint[0] !== 'dotnet' || !entrypoint[1]?.endsWith('.dll')) fail(`ENTRYPOINT ${JSON.stringify(entrypoint)} is not ["dotnet", "<published dll>"]`);
const port = env.ASPNETCORE_HTTP_PORTS;
if (!port || port !== exposed) fail(`ASPNETCORE_HTTP_PORTS (${port}) is not the EXPOSEd port (${exposed})`);
if (!healthcheck.includes(`localhost:${port}/health`)) fail(`the HEALTHCHECK does not ask /health on port ${port}`);

// the compose services built from this Dockerfile run its entry point with valid modules
const modules = new Set(['storage', 'recording', 'metadata', 'playback']);
const compose = parse(readFileSync(composeFile, 'utf8'), { merge: true });
let built = 0;
for (const [name, service] of Object.entries(compose.services ?? {})) {
  const dockerfileOf = service.build?.dockerfile;
  if (!dockerfileOf || resolve(dirname(composeFile), service.build.context ?? '.', dockerfileOf) !== resolve(dockerfilePath)) continue;
  built++;
  if (service.entrypoint !== undefined && JSON.stringify(service.entrypoint) !== JSON.stringify(entrypoint)) fail(`compose service ${name} replaces the entry point`);
  for (const word of [service.command ?? []].flat()) if (!/^--[A-Za-z][\w:.]*=/.test(word)) fail(`compose service ${name}: command word "${word}" is not a --Key=value setting for ${entrypoint?.[1]}`);
  const list = service.environment?.Footage__Modules ?? env.Footage__Modules ?? '';
  const names = list.split(',').map(m => m.trim().toLowerCase());
  if (names.length === 0 || names.some(m => !modules.has(m))) fail(`compose service ${name}: Footage__Modules "${list}" names an unknown module`);
  if (service.healthcheck?.test && !JSON.stringify(service.healthcheck.test).includes(`:${port}/health`)) fail(`compose service ${name}: its health check is not /health on ${port}`);
}
if (built === 0) fail(`no compose service in ${composeFile} is built from it`);

if (errors.length > 0) {
  console.error(errors.join('\n'));
  process.exit(1);
}
writeFileSync(join(staging, 'build.sh'), script.join('\n') + '\n');
writeFileSync(join(staging, 'app'), `${join(stageRoot('build'), '/app')}\n`);
writeFileSync(join(staging, 'entrypoint'), `${entrypoint[1]}\n`);
writeFileSync(join(staging, 'port'), `${port}\n`);
console.log(`${dockerfilePath}: lint passes; ${copiedBeforeRestore.size} paths copied before the restore cover the ${needed.size} projects of Footage.Server; ` +
  `entry point ${entrypoint.join(' ')}; ${built} compose services run it`);
