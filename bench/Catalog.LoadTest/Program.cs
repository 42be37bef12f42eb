using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

// Load generator for the usage ledger. Targets a running API (bench/ledger/run.sh starts one):
//   single <url> <key> <clients> <seconds>     single-call POST /v1/usage from N concurrent clients
//   batch  <url> <key> <clients> <calls> <size> POST /v1/usage/batch
//   summary <url> <key> <runs>                  GET /v1/analytics/summary for every group_by
//   export <url> <key>                          GET /v1/usage/export.csv, streamed and counted
var mode = args[0];
var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(args[1]), Timeout = TimeSpan.FromMinutes(10) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", args[2]);
var run = $"{Environment.ProcessId}-{DateTime.UtcNow.Ticks}";
var models = new[] { "gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5", "claude-haiku-4-5", "gemini-2.5-flash", "gemini-2.5-pro", "o3-mini", "mistral-large-latest", "llama-3.3-70b-instruct", "my-internal-model" };

string Call(long n, DateTimeOffset at)
{
    // 200 users in 10 teams; each user works in one of 6 apps and mostly uses 3 models.
    var user = (int)(n % 200);
    var model = models[(user + (int)(n / 200 % 3)) % models.Length];
    return $$"""{"id":"{{run}}-{{n}}","model":"{{model}}","usage":{"input_tokens":{{500 + (n % 3000)}},"output_tokens":{{50 + (n % 700)}}},"timestamp":"{{at.ToString("O", CultureInfo.InvariantCulture)}}","latency_ms":{{200 + (n % 900)}},"status":"success","user":"user-{{user}}","team":"team-{{user % 10}}","app":"app-{{user % 6}}","tags":{"env":"prod"},"endpoint":"chat"}""";
}

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
                using var response = await http.PostAsync("/v1/usage", new StringContent(Call(n, DateTimeOffset.UtcNow), Encoding.UTF8, "application/json"));
                latencies[c].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Increment(ref (response.IsSuccessStatusCode ? ref done : ref failed));
            }
        }));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        Console.WriteLine($"single: {done} acknowledged, {failed} failed in {stop.Elapsed.TotalSeconds:F1} s = {done / stop.Elapsed.TotalSeconds:F0} requests/s with {clients} clients; p50 {all[all.Length / 2]:F1} ms, p99 {all[all.Length * 99 / 100]:F1} ms");
        break;
    }

    case "batch":
    {
        int clients = int.Parse(args[3]), size = int.Parse(args[5]);
        long calls = long.Parse(args[4]), next = 0, accepted = 0;
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
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
                    body.Append(n == first ? "" : ",").Append(Call(n, start.AddSeconds(n * 30L * 86400 / calls)));
                }

                using var response = await http.PostAsync("/v1/usage/batch", new StringContent(body.Append("]}").ToString(), Encoding.UTF8, "application/json"));
                response.EnsureSuccessStatusCode();
                var text = await response.Content.ReadAsStringAsync();
                var created = int.Parse(text.AsSpan(text.IndexOf(':') + 1, text.IndexOf(',') - text.IndexOf(':') - 1), CultureInfo.InvariantCulture);
                Interlocked.Add(ref accepted, created);
            }
        }));
        Console.WriteLine($"batch: {accepted} stored of {calls} in {stop.Elapsed.TotalSeconds:F1} s = {accepted / stop.Elapsed.TotalSeconds:F0} calls/s ({clients} clients, {size} per batch)");
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
