using System.Net;
using System.Text.Json;
using Catalog.Api.Features.Alerts;
using Catalog.Ledger.Alerts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Catalog.Api.Tests.Alerts;

/// <summary>A webhook receiver answering from a script (then 200), recording each POST's alert key, headers and body.</summary>
internal sealed class RecordingWebhook(params HttpStatusCode[] script) : HttpMessageHandler
{
    private int _calls;

    /// <summary>The key of each alert POSTed (from its body).</summary>
    public List<string> Keys { get; } = [];

    public List<string> IdempotencyKeys { get; } = [];

    /// <summary>Each POST's X-Catalog-Signature header, null when it had none.</summary>
    public List<string?> Signatures { get; } = [];

    public List<string> Bodies { get; } = [];

    /// <summary>Each body's Content-Length header: null for a chunked body.</summary>
    public List<long?> Lengths { get; } = [];

    public AlertOptions Options { get; } = new() { WebhookUrl = new Uri("http://127.0.0.1:9/hook"), FirstRetryDelay = TimeSpan.Zero };

    /// <summary>The service's webhook sender, POSTing here.</summary>
    public AlertWebhook Client(IAlertStore store, TimeProvider clock)
    {
        var json = new JsonSerializerOptions();
        Json.Configure(json);
        return new AlertWebhook(new HttpClient(this), store, Options, clock, json, NullLogger<AlertWebhook>.Instance);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        IdempotencyKeys.Add(request.Headers.GetValues("Idempotency-Key").Single());
        Signatures.Add(request.Headers.TryGetValues(AlertWebhook.SignatureHeader, out var signature) ? signature.Single() : null);
        Lengths.Add(request.Content!.Headers.ContentLength);
        var body = await request.Content.ReadAsStringAsync(cancellationToken);
        Bodies.Add(body);
        Keys.Add(JsonDocument.Parse(body).RootElement.GetProperty("alert").GetProperty("key").GetString()!);
        var status = _calls < script.Length ? script[_calls] : HttpStatusCode.OK;
        _calls++;
        return new HttpResponseMessage(status);
    }
}
