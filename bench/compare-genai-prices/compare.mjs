// Prices the same varied calls with Catalog (POST /v1/cost/batch over loopback, requests of at most 1,000 calls)
// and with genai-prices' calcPrice in this process; checks that the totals agree and prints the speed ratio as
// its last line. It times the service twice, interleaved with calcPrice: the full answer (every field of each cost,
// the default) and the compact one (`?answer=compact`: model, provider, pricing_source, input, output and total cost,
// which is about what calcPrice returns), and prints a ratio for each, labelled; the last line is the full answer's.
//
// The service gets a catalogue of its own: genai-prices' data as the npm package ships it (the same data
// calcPrice prices with), imported by `catalog import genai-prices` into skeleton.yaml, compiled into a build of
// the service under work/ (the repository's own build is not touched). Both sides warm up before they are
// measured (the service for --warmup-seconds: a freshly started .NET service needs seconds of requests before
// its hot code is compiled at its final tier); each is then timed over RUNS runs of every call and the range is
// printed, with the service's own CPU time per run beside it. Requests go over one kept-alive connection with
// node:http, the body sent as bytes and the answer received as bytes (parsing the JSON answer is the client's
// work, not the service's: it is done once, for the check).
//
// Usage: npm ci && node compare.mjs [--runs 15] [--warmup 3] [--warmup-seconds 10] [--calls-per-model 3] [--port 5397] [--seed 17] [--concurrency 1] [--reuse]
// (--concurrency n: n requests in flight on n kept-alive connections instead of one after another)
// (--reuse: keep the catalogue and the build of the service under work/ from the last run)
import { calcPrice, waitForUpdate } from '@pydantic/genai-prices';
import { spawn, spawnSync } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const work = join(here, 'work');
const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const runs = option('runs', 15);
const warmups = option('warmup', 3);
const warmupSeconds = option('warmup-seconds', 10);
const callsPerModel = option('calls-per-model', 3);
const port = option('port', 5397);
const concurrency = option('concurrency', 1);
const batchSize = 1000;
let seed = option('seed', 17);

// A small deterministic generator (mulberry32), so every run prices the same calls.
const random = () => {
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const between = (low, high) => low + Math.floor(random() * (high - low + 1));

function run(command, args, what) {
  const result = spawnSync(command, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}\n${result.stderr}\n`);
    throw new Error(`${what} failed (exit ${result.status})`);
  }
  return result.stdout;
}

// genai-prices' provider ids as the catalogue names them (src/Catalog.Cli/GenAiPrices/GenAiPricesProviders.cs).
const providerIds = { aws: 'bedrock', voyageai: 'voyage', 'x-ai': 'xai', zhipuai: 'zhipu' };
function catalogueProvider(provider, model) {
  if (provider === 'google' && model.startsWith('claude-')) return 'vertex';
  if (provider.startsWith('huggingface_')) return 'huggingface-' + provider.slice('huggingface_'.length).replace('-ai', '');
  return providerIds[provider] ?? provider;
}

/** The models the import took, as catalogue provider/genai-prices id -> the catalogue's model id. */
function importedModels(yaml) {
  const models = new Map();
  let provider = null;
  let imported = null;
  for (const line of yaml.split('\n')) {
    const providerLine = /^ {2}- id: (.+)$/.exec(line);
    if (providerLine) { provider = providerLine[1].replace(/^"|"$/g, ''); continue; }
    const comment = /^ {6}# imported from genai-prices \((.+)\)$/.exec(line);
    if (comment) { imported = comment[1]; continue; }
    const modelLine = /^ {6}- id: (.+)$/.exec(line);
    if (modelLine && imported !== null) models.set(`${provider}/${imported}`, modelLine[1].replace(/^"|"$/g, ''));
    if (modelLine) imported = null;
  }
  return models;
}

function priceKeys(prices) {
  const set = Array.isArray(prices) ? prices.map((p) => p.prices) : [prices];
  const keys = new Set(set.flatMap((p) => Object.keys(p)));
  const tierStart = set.flatMap((p) => Object.values(p)).find((v) => v && typeof v === 'object' && Array.isArray(v.tiers))?.tiers[0]?.start;
  const startDates = Array.isArray(prices) ? prices.map((p) => p.constraint?.start_date).filter(Boolean) : [];
  return { keys, tierStart, startDates };
}

/** Varied calls: text tokens, cache reads and writes where the model prices them, above the first tier, before and after price changes. */
const unmatched = new Set();
function makeCalls(providers, imported) {
  const calls = [];
  for (const provider of providers) {
    for (const model of provider.models) {
      const ours = catalogueProvider(provider.id, model.id);
      const name = imported.get(`${ours}/${model.id}`);
      if (name === undefined) continue;
      const { keys, tierStart, startDates } = priceKeys(model.prices);
      for (let i = 0; i < callsPerModel; i++) {
        const input = tierStart && random() < 0.5 ? tierStart + between(1, 50_000) : between(1, 20_000);
        const usage = { input_tokens: input, output_tokens: between(0, 4_000) };
        if (keys.has('cache_read_mtok') && random() < 0.6) usage.cache_read_tokens = between(0, Math.floor(input / 2));
        if (keys.has('cache_write_mtok') && random() < 0.4) usage.cache_write_tokens = between(0, Math.floor((input - (usage.cache_read_tokens ?? 0)) / 2));
        const day = startDates.length > 0 && random() < 0.5
          ? new Date(Date.parse(startDates[between(0, startDates.length - 1)]) + (random() < 0.5 ? -1 : 1) * 86_400_000 * between(1, 30))
          : new Date(Date.UTC(2026, between(0, 10), between(1, 28), between(0, 23)));
        // Never in the future: the service refuses a timestamp ahead of its clock.
        day.setTime(Math.min(day.getTime(), Date.now() - 86_400_000));
        const call = { provider: provider.id, genaiModel: model.id, request: { model: name, provider: ours, timestamp: day.toISOString(), usage } };
        // Only calls calcPrice prices with this very model: some of its ids are not names its own match rules take.
        if (calcPrice(usage, model.id, { providerId: provider.id, timestamp: day })?.model.id === model.id) calls.push(call);
        else unmatched.add(`${provider.id}/${model.id}`);
      }
    }
  }
  return calls;
}

async function waitUntilReady(url, server) {
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error(`the service exited (${server.exitCode})`);
    try { if ((await fetch(`${url}/v1/catalog`)).ok) return; } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the service did not start within 60 s');
}

const median = (values) => { const s = [...values].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
/** The CPU time (user + system) the process has used so far, in ms, from /proc (Linux), or NaN elsewhere. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

const range = (values) => `median ${median(values).toFixed(1)} ms, range ${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)} ms over ${values.length} runs`;

const reuse = process.argv.includes('--reuse') && existsSync(join(work, 'artifacts/bin/Catalog.Api/release/Catalog.Api.dll'));
const providers = await waitForUpdate();
console.log(`genai-prices ${JSON.parse(readFileSync(join(here, 'node_modules/@pydantic/genai-prices/package.json'), 'utf8')).version}: ${providers.length} providers, ${providers.reduce((n, p) => n + p.models.length, 0)} models`);
if (!reuse) {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'data.json'), JSON.stringify(providers));
  copyFileSync(join(here, 'skeleton.yaml'), join(work, 'pricing.yaml'));
  run('dotnet', ['build', 'src/Catalog.Cli', '-c', 'Release', '-nologo', '-v', 'q'], 'building the CLI');
  run('dotnet', ['src/Catalog.Cli/bin/Release/net10.0/Catalog.Cli.dll', 'import', 'genai-prices', '--file', join(work, 'data.json'), '--catalogue', join(work, 'pricing.yaml')], 'catalog import genai-prices');
}
const imported = importedModels(readFileSync(join(work, 'pricing.yaml'), 'utf8'));
console.log(`imported into the catalogue: ${imported.size} models (the rest have prices the catalogue cannot state yet)`);
if (!reuse) {
  console.log('building the service with that catalogue (work/artifacts) ...');
  run('dotnet', ['build', 'src/Catalog.Api', '-c', 'Release', '-nologo', '-v', 'q', `-p:PricingCatalog=${join(work, 'pricing.yaml')}`, '--artifacts-path', join(work, 'artifacts')], 'building the service');
}

const calls = makeCalls(providers, imported);
const bodies = [];
for (let i = 0; i < calls.length; i += batchSize) bodies.push(Buffer.from(JSON.stringify({ items: calls.slice(i, i + batchSize).map((c) => c.request) })));
console.log(`left out: ${unmatched.size} models whose id calcPrice does not price as that model (such as ${[...unmatched].slice(0, 3).join(', ')})`);
console.log(`${calls.length} calls over ${new Set(calls.map((c) => c.request.provider + '/' + c.request.model)).size} models, in ${bodies.length} batch requests`);

const url = `http://127.0.0.1:${port}`;
const server = spawn('dotnet', [join(work, 'artifacts/bin/Catalog.Api/release/Catalog.Api.dll'), '--urls', url], {
  cwd: work,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, ASPNETCORE_ENVIRONMENT: 'Production', Logging__LogLevel__Default: 'Warning', Storage__Path: join(work, 'catalog.db') },
});
const stop = () => { if (server.exitCode === null) server.kill('SIGTERM'); };
process.on('exit', stop);
try {
  await waitUntilReady(url, server);

  // One connection kept alive, as a client that prices batches would hold; the answer is read to its last byte.
  // --concurrency n (default 1) keeps n requests in flight on n connections instead, as a client with a request per core would.
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const post = (body, path) => new Promise((resolvePost, reject) => {
    const sent = httpRequest(`${url}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const answer = Buffer.concat(chunks);
        if (response.statusCode !== 200) reject(new Error(`POST /v1/cost/batch answered ${response.statusCode}: ${answer.toString('utf8', 0, 300)}`));
        else resolvePost(answer);
      });
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end(body);
  });
  const full = '/v1/cost/batch';
  const compact = '/v1/cost/batch?answer=compact';
  const priceAll = async (path) => {
    const answers = new Array(bodies.length);
    let next = 0;
    const worker = async () => { while (next < bodies.length) { const i = next++; answers[i] = await post(bodies[i], path); } };
    await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, worker));
    return answers;
  };
  const calcAll = () => calls.map((c) => calcPrice(c.request.usage, c.genaiModel, { providerId: c.provider, timestamp: new Date(c.request.timestamp) }));

  // The same answers: every total within a millionth of a cent (calcPrice adds binary floats; Catalog is exact).
  const fullAnswers = await priceAll(full);
  const compactAnswers = await priceAll(compact);
  const bytes = (answers) => answers.reduce((n, a) => n + a.length, 0);
  console.log(`answer bytes for all the calls: full ${bytes(fullAnswers)}, compact ${bytes(compactAnswers)}; request bytes ${bodies.reduce((n, b) => n + b.length, 0)}`);
  const ours = fullAnswers.flatMap((answer) => JSON.parse(answer.toString('utf8')).results);
  const oursCompact = compactAnswers.flatMap((answer) => JSON.parse(answer.toString('utf8')).results);
  const theirs = calcAll();
  const disagreements = [];
  for (let i = 0; i < calls.length; i++) {
    if (oursCompact[i]?.total_usd !== ours[i].total_usd) disagreements.push({ call: calls[i].request, full: ours[i].total_usd, compact: oursCompact[i] });
    const a = ours[i].total_usd;
    const b = theirs[i]?.total_price;
    if (a === undefined || b === undefined || Math.abs(a - b) > 1e-8 + 1e-9 * Math.abs(b)) disagreements.push({ call: calls[i].request, genai: `${calls[i].provider}/${calls[i].genaiModel}`, catalog: a ?? ours[i], calcPrice: b ?? null, resolved: ours[i].resolved_model });
  }
  console.log(`totals agree on ${calls.length - disagreements.length} of ${calls.length} calls`);
  for (const d of disagreements.slice(0, 10)) console.log(`  differs: ${JSON.stringify(d)}`);

  const warmupEnd = performance.now() + warmupSeconds * 1000;
  let serviceWarmups = 0;
  while (serviceWarmups < warmups || performance.now() < warmupEnd) { await priceAll(full); await priceAll(compact); serviceWarmups++; }
  for (let i = 0; i < warmups; i++) calcAll();
  console.log(`warmed up: the service over ${serviceWarmups} rounds (${warmupSeconds} s at least), calcPrice over ${warmups}`);
  // Each run times the full answers, the compact ones and calcPrice one after another, so all three see the same load.
  const timed = { [full]: { wall: [], cpu: [] }, [compact]: { wall: [], cpu: [] } };
  const reference = [];
  for (let i = 0; i < runs; i++) {
    for (const path of [full, compact]) {
      const cpuBefore = cpuMs(server.pid);
      const start = performance.now();
      await priceAll(path);
      timed[path].wall.push(performance.now() - start);
      timed[path].cpu.push(cpuMs(server.pid) - cpuBefore);
    }
    const start = performance.now();
    calcAll();
    reference.push(performance.now() - start);
  }
  for (const path of [full, compact]) {
    console.log(`Catalog, POST ${path} (${bodies.length} requests of ≤ ${batchSize}, ${concurrency === 1 ? 'one kept-alive loopback connection, sequential' : `${concurrency} kept-alive loopback connections, ${concurrency} requests in flight`}): ${range(timed[path].wall)}`);
    console.log(`  the service's own CPU time per run (user + system, 10 ms ticks): median ${median(timed[path].cpu)} ms, range ${Math.min(...timed[path].cpu)}–${Math.max(...timed[path].cpu)} ms`);
  }
  console.log(`genai-prices calcPrice ${JSON.parse(readFileSync(join(here, 'node_modules/@pydantic/genai-prices/package.json'), 'utf8')).version}, in process: ${range(reference)}`);
  process.exitCode = disagreements.length > 0 ? 1 : 0;
  const differ = disagreements.length > 0 ? `; ${disagreements.length} totals differ` : '';
  for (const [path, label] of [[compact, 'compact answer, ?answer=compact'], [full, 'full answer, the default']]) {
    const service = timed[path].wall;
    const ratio = median(reference) / median(service);
    const low = Math.min(...reference) / Math.max(...service);
    const high = Math.max(...reference) / Math.min(...service);
    console.log(`speed ratio (calcPrice time / Catalog time, ${calls.length} calls, ${label}): ${ratio.toFixed(1)}× (range ${low.toFixed(1)}–${high.toFixed(1)}×)${differ}`);
  }
} finally {
  stop();
}
