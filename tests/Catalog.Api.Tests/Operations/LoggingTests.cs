using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Catalog.Api.Tests.Ledger;
using Catalog.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Catalog.Api.Tests.Operations;

/// <summary>Logs: one line per failed request with its trace id, JSON on the console when asked, and never a key.</summary>
public sealed class LoggingTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    [Fact]
    public async Task A_key_never_appears_in_the_logs_even_at_trace_level()
    {
        var logs = new CollectingLoggerProvider();
        using var host = factory.WithOwnDatabase(builder =>
        {
            builder.UseSetting("Logging:LogLevel:Default", "Trace");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        });
        using var admin = host.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StoreApiFactory.AdminKey);
        var created = await (await admin.PostJsonAsync("/v1/keys", """{"name": "gateway", "scopes": ["ingest"]}""")).JsonAsync();
        var key = created.GetProperty("key").GetString()!;
        var wrongKey = key[..^6] + "abcdef";

        using var gateway = host.CreateClient();
        gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.Created, (await gateway.PostJsonAsync("/v1/usage", LedgerHttp.Call("logged-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync("/v1/usage")).StatusCode);
        using var stranger = host.CreateClient();
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", wrongKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/v1/usage")).StatusCode);
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", wrongKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/v1/usage")).StatusCode);

        var text = logs.Text;
        Assert.Contains("GET /v1/usage answered 401", text);
        Assert.Contains("GET /v1/usage answered 403", text);
        foreach (var secret in new[] { key, key[21..], wrongKey[21..], StoreApiFactory.AdminKey })
        {
            Assert.DoesNotContain(secret, text);
        }
    }

    [Fact]
    public async Task Json_console_logs_write_one_line_per_failed_request_with_its_trace_id()
    {
        var directory = Directory.CreateTempSubdirectory("catalog-logs-");
        try
        {
            using var api = await ApiProcess.StartAsync(ApiProcess.FreePort(), StoreApiFactory.AdminKey, new Dictionary<string, string>
            {
                ["Storage__Path"] = Path.Combine(directory.FullName, "catalog.db"),
                ["Logging__Console__FormatterName"] = "json",
                ["Logging__LogLevel__Default"] = "Information",
            });
            using var http = new HttpClient { BaseAddress = api.Address };
            var response = await http.GetAsync("/v1/no-such-thing");
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

            var line = await WaitForAsync(api, "/v1/no-such-thing");

            var log = JsonDocument.Parse(line).RootElement;
            Assert.Equal("Catalog.Api.Telemetry.FailedRequestLogging", log.GetProperty("Category").GetString());
            Assert.Equal("Information", log.GetProperty("LogLevel").GetString());
            var state = log.GetProperty("State");
            Assert.Equal("404", state.GetProperty("StatusCode").ToString());
            var traceId = state.GetProperty("TraceId").GetString()!;
            Assert.Equal(32, traceId.Length);
            Assert.Contains(traceId, problem.GetProperty("trace_id").GetString());
            Assert.All(api.Output.Where(l => l.StartsWith('{')), l => JsonDocument.Parse(l));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<string> WaitForAsync(ApiProcess api, string path)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (api.Output.FirstOrDefault(l => l.Contains($"\"Path\":\"{path}\"", StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no log line for {path}; the output was:{Environment.NewLine}{string.Join(Environment.NewLine, api.Output)}");
    }
}

/// <summary>Every message, state value and scope logged, as text.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public string Text => string.Join(Environment.NewLine, _lines);

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Collector(CollectingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var parts = new List<string> { category, formatter(state, exception), exception?.ToString() ?? string.Empty };
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                parts.AddRange(values.Select(v => $"{v.Key}={v.Value}"));
            }

            owner._scopes.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? string.Empty), parts);
            owner._lines.Enqueue(string.Join(" | ", parts));
        }
    }
}
