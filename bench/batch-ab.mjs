// A/B of the 1,000-item batch of bench/http.sh between running services (two builds, or two answer forms of one):
// interleaved rounds of N requests over one kept-alive node:http connection each (300 warm-up requests first); per
// round, the service's CPU per request (utime + stime from /proc/<pid>/stat, 10 ms ticks), the median and fastest
// round trip, and the answer's size. Start each build yourself (Release, ASPNETCORE_ENVIRONMENT=Production,
// Logging__LogLevel__Default=Warning, its own Storage__Path) and pass name:port:pid[:path]:
//   node bench/batch-ab.mjs 5 200 old:5401:<pid> new:5402:<pid> compact:5402:<pid>:/v1/cost/batch?answer=compact
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
const [rounds, n, ...servers] = process.argv.slice(2);
const item = '{"model":"my-chatbot","provider":"anthropic","timestamp":"2026-11-20T10:00:00Z","usage":{"input_tokens":1000,"output_tokens":500,"cache_read_tokens":0,"cache_write_tokens":0}}';
const body = Buffer.from('{"items":[' + Array(1000).fill(item).join(',') + ']}');
const cpu = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const targets = servers.map((s) => { const [name, port, pid, path] = s.split(':'); return { name, port, pid, path: path ?? '/v1/cost/batch', agent: new Agent({ keepAlive: true, maxSockets: 1 }), res: [] }; });
const post = (t) => new Promise((ok, fail) => {
  const r = request({ host: '127.0.0.1', port: t.port, path: t.path, method: 'POST', agent: t.agent, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
    let bytes = 0; res.on('data', (c) => { bytes += c.length; }); res.on('end', () => res.statusCode === 200 ? ok(bytes) : fail(new Error(String(res.statusCode))));
  });
  r.on('error', fail); r.end(body);
});
for (const t of targets) for (let i = 0; i < 300; i++) await post(t);
for (let r = 0; r < Number(rounds); r++) {
  for (const t of targets) {
    const c0 = cpu(t.pid); const walls = []; let bytes = 0;
    for (let i = 0; i < Number(n); i++) { const s = performance.now(); bytes = await post(t); walls.push(performance.now() - s); }
    const c1 = cpu(t.pid); walls.sort((a, b) => a - b);
    console.log(`${t.name} round ${r + 1}: server CPU ${((c1 - c0) / n).toFixed(2)} ms/request, wall median ${walls[walls.length >> 1].toFixed(2)} ms, fastest ${walls[0].toFixed(2)} ms, answer ${bytes} B`);
  }
}
