using System.Net;
using System.Text.Json;
using Catalog.Api.Features.Alerts;
using Catalog.Ledger.Alerts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Catalog.Api.Tests.Alerts;

/// <summary>A webhook receiver answering from a script (then 200), recording each POST's Idempotency-Key and body.</summary>
internal sealed class RecordingWebhook(params HttpStatusCode[] script) : HttpMessageHandler
{
    private int _calls;

    public List<string> Keys { get; } = [];

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
        Keys.Add(request.Headers.GetValues("Idempotency-Key").Single());
        Lengths.Add(request.Content!.Headers.ContentLength);
        Bodies.Add(await request.Content.ReadAsStringAsync(cancellationToken));
        var status = _calls < script.Length ? script[_calls] : HttpStatusCode.OK;
        _calls++;
        return new HttpResponseMessage(status);
    }
}
