using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Catalog.Api.Tests.Ledger;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Catalog.Api.Tests.Hardening;

/// <summary>A client that goes away in the middle of its body is one Information line, not an error with a stack trace (issue #13, item 8).</summary>
public sealed class ClientAbortLoggingTests : IDisposable
{
    private readonly RecordingLogger _logs = new();
    private readonly LedgerApiFactory _factory = new();
    private readonly Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _api;

    public ClientAbortLoggingTests()
    {
        _api = _factory.WithWebHostBuilder(builder =>
        {
            // A port of its own: the default (5000) may be held by another process on a shared machine.
            builder.UseUrls("http://127.0.0.1:0");
            builder.UseSetting("Logging:LogLevel:Default", "Information");
            builder.ConfigureLogging(logging => logging.AddProvider(_logs));
        });
        _api.UseKestrel(0);
        _api.StartServer();
    }

    public void Dispose()
    {
        _api.Dispose();
        _factory.Dispose();
    }

    [Theory]
    [InlineData("/v1/cost")]
    [InlineData("/v1/cost/batch")]
    [InlineData("/v1/usage/batch")]
    public async Task A_body_cut_short_by_the_client_is_logged_as_information_without_a_stack(string path)
    {
        for (var i = 0; i < 5; i++)
        {
            using var client = await StartBodyAsync(path, "{\"items\": [{\"model\": ");
            client.Client.Shutdown(SocketShutdown.Send);
            client.Close();
        }

        // Each request ends with one line of the failed-request log (400 when the server read the cut body, 499 when it
        // saw the client go first); which of the two, and whether the exception handler saw it, depends on timing.
        var answered = $"POST {path} answered 4";
        await WaitUntil(() => _logs.Entries.Count(e => e.Message.StartsWith(answered, StringComparison.Ordinal)) >= 5);

        Assert.Equal(5, _logs.Entries.Count(e => e.Message.StartsWith(answered, StringComparison.Ordinal)));
        Assert.All(_logs.Entries.Where(e => e.Message.StartsWith(answered, StringComparison.Ordinal)), e => Assert.Equal(LogLevel.Information, e.Level));
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.All(_logs.Entries.Where(e => e.Message.Contains("the client went away")), e =>
        {
            Assert.Equal(LogLevel.Information, e.Level);
            Assert.Null(e.Exception);
        });
    }

    [Fact]
    public async Task A_body_sent_slower_than_kestrels_minimum_rate_gets_408_and_one_information_line()
    {
        using var client = await StartBodyAsync("/v1/usage/batch", "{\"items\": [");
        var stream = client.GetStream();

        // Kestrel's default minimum body rate: 240 bytes/s after a 5 s grace period. Nothing more is sent.
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!answer.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        Assert.StartsWith("HTTP/1.1 408", answer.ToString());
        await WaitUntil(() => _logs.Entries.Any(e => e.Message.Contains("(408:", StringComparison.Ordinal)));
        var line = Assert.Single(_logs.Entries, e => e.Message.Contains("(408:", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Null(line.Exception);
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    /// <summary>A request announcing a 100,000-byte body of which only <paramref name="start"/> is sent.</summary>
    private async Task<TcpClient> StartBodyAsync(string path, string start)
    {
        var address = new Uri(_api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {StoreApiFactory.AdminKey}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{start}"));
        await stream.FlushAsync();
        return client;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    private sealed class RecordingLogger : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Category(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Category(RecordingLogger owner, string name) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue((logLevel, name, formatter(state, exception), exception));
        }
    }
}
