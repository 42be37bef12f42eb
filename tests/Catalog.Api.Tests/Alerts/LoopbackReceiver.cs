using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Catalog.Api.Features.Alerts;
using Catalog.Ledger.Alerts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Catalog.Api.Tests.Alerts;

/// <summary>
/// A webhook receiver on a loopback port, reached through the service's real HTTP handler (headers are
/// checked and sent as on the wire): it answers every request with one status, a 3xx pointing at /elsewhere.
/// </summary>
internal sealed class LoopbackReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpStatusCode _status;
    private readonly Task _serving;

    public LoopbackReceiver(HttpStatusCode status)
    {
        _status = status;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = new Uri($"http://127.0.0.1:{port}/hook");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public Uri Url { get; }

    public List<(string Path, Dictionary<string, string> Headers)> Requests { get; } = [];

    public AlertWebhook Client(IAlertStore store, TimeProvider clock)
    {
        var json = new JsonSerializerOptions();
        Json.Configure(json);
        var options = new AlertOptions { WebhookUrl = Url, FirstRetryDelay = TimeSpan.Zero };
        return new AlertWebhook(new HttpClient(AlertWebhook.CreateHandler()), store, options, clock, json, NullLogger<AlertWebhook>.Instance);
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _ = _serving;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }

            lock (Requests)
            {
                Requests.Add((context.Request.Url!.AbsolutePath, context.Request.Headers.AllKeys.ToDictionary(k => k!, k => context.Request.Headers[k]!)));
            }

            context.Response.StatusCode = (int)_status;
            if ((int)_status is >= 300 and < 400)
            {
                context.Response.RedirectLocation = "/elsewhere";
            }

            context.Response.Close();
        }
    }
}
