using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

// Load generator for the usage ledger. Targets running API instances (bench/ledger/run.sh and
// bench/ledger/postgres.sh start them); <urls> is one URL, or several separated by commas (clients take
// turns over them, as behind a load balancer):
//   single <urls> <key> <clients> <seconds>     single-call POST /v1/usage from N concurrent clients
//   batch  <urls> <key> <clients> <calls> <size> POST /v1/usage/batch
//   summary <url> <key> <runs>                  GET /v1/analytics/summary for every group_by
//   export <url> <key>                          GET /v1/usage/export.csv, streamed and counted
//   seed-postgres <connection string> <calls>   stores the calls straight into a PostgreSQL ledger with COPY
var mode = args[0];
var run = $"{Environment.ProcessId}-{DateTime.UtcNow.Ticks}";
if (mode == "seed-postgres")
{
    await PostgresSeed.RunAsync(args[1], long.Parse(args[2], CultureInfo.InvariantCulture), run);
    return;
}

var instances = args[1].Split(',').Select(url =>
{
    var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", args[2]);
    return client;
}).ToArray();
var http = instances[0];

switch (mode)
{
    case "single":
    {
        int clients = int.Parse(args[3]), seconds = int.Parse(args[4]);
        long done = 0, failed = 0, next = 0;
        var latencies = new List<double>[clients];
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            latencies[c] = [];
            while (stop.Elapsed.TotalSeconds < seconds)
            {
                var n = Interlocked.Increment(ref next);
                var started = Stopwatch.GetTimestamp();
                using var response = await instances[c % instances.Length].PostAsync("/v1/usage", new StringContent(LedgerCalls.Json(run, n, DateTimeOffset.UtcNow), Encoding.UTF8, "application/json"));
                latencies[c].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Increment(ref (response.IsSuccessStatusCode ? ref done : ref failed));
            }
        }));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        Console.WriteLine($"single: {done} acknowledged, {failed} failed in {stop.Elapsed.TotalSeconds:F1} s = {done / stop.Elapsed.TotalSeconds:F0} requests/s with {clients} clients on {instances.Length} instance(s); p50 {all[all.Length / 2]:F1} ms, p99 {all[all.Length * 99 / 100]:F1} ms");
        break;
    }

    case "batch":
    {
        int clients = int.Parse(args[3]), size = int.Parse(args[5]);
        long calls = long.Parse(args[4]), next = 0, accepted = 0;
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            while (true)
            {
                var first = Interlocked.Add(ref next, size) - size;
                if (first >= calls)
                {
                    return;
                }

                var body = new StringBuilder("{\"items\":[");
                for (var n = first; n < Math.Min(first + size, calls); n++)
                {
                    body.Append(n == first ? "" : ",").Append(LedgerCalls.Json(run, n, LedgerCalls.Spread(start, n, calls)));
                }

                using var response = await instances[c % instances.Length].PostAsync("/v1/usage/batch", new StringContent(body.Append("]}").ToString(), Encoding.UTF8, "application/json"));
                response.EnsureSuccessStatusCode();
                var text = await response.Content.ReadAsStringAsync();
                var created = int.Parse(text.AsSpan(text.IndexOf(':') + 1, text.IndexOf(',') - text.IndexOf(':') - 1), CultureInfo.InvariantCulture);
                Interlocked.Add(ref accepted, created);
            }
        }));
        Console.WriteLine($"batch: {accepted} stored of {calls} in {stop.Elapsed.TotalSeconds:F1} s = {accepted / stop.Elapsed.TotalSeconds:F0} calls/s ({clients} clients, {size} per batch, {instances.Length} instance(s))");
        break;
    }

    case "summary":
    {
        var runs = int.Parse(args[3]);
        foreach (var group in new[] { "model", "provider", "day", "user", "team", "app" })
        {
            var times = new List<double>();
            string body = "";
            for (var i = 0; i < runs; i++)
            {
                var started = Stopwatch.GetTimestamp();
                body = await http.GetStringAsync($"/v1/analytics/summary?group_by={group}");
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var requests = body[(body.IndexOf("\"requests\":", StringComparison.Ordinal) + 11)..];
            Console.WriteLine($"summary group_by={group}: median {times.Order().ElementAt(times.Count / 2):F1} ms, max {times.Max():F1} ms over {requests[..requests.IndexOf(',')]} calls");
        }

        break;
    }

    case "export":
    {
        var stop = Stopwatch.StartNew();
        using var response = await http.GetAsync("/v1/usage/export.csv", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        long bytes = 0, rows = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            rows += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        Console.WriteLine($"export: {rows - 1} rows, {bytes / 1_048_576.0:F0} MiB in {stop.Elapsed.TotalSeconds:F1} s");
        break;
    }
}
