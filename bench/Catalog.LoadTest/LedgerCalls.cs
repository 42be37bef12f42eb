using System.Globalization;

/// <summary>
/// The calls the load generator sends: 200 users in 10 teams, each in one of 6 apps and mostly on 3 of 10 models; a
/// third of them served by the catalogue's Inference Endpoint phi-4 (so its report has tokens to count).
/// </summary>
internal static class LedgerCalls
{
    private static readonly string[] Models = ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5", "claude-haiku-4-5", "gemini-2.5-flash", "gemini-2.5-pro", "o3-mini", "mistral-large-latest", "llama-3.3-70b-instruct", "my-internal-model"];

    /// <summary>Call <paramref name="n"/> of a run, as the gateway posts it.</summary>
    public static string Json(string run, long n, DateTimeOffset at)
    {
        var user = (int)(n % 200);
        var model = Models[(user + (int)(n / 200 % 3)) % Models.Length];
        return $$"""{"id":"{{run}}-{{n}}","model":"{{model}}","usage":{"input_tokens":{{500 + (n % 3000)}},"output_tokens":{{50 + (n % 700)}}},"timestamp":"{{at.ToString("O", CultureInfo.InvariantCulture)}}","latency_ms":{{200 + (n % 900)}},"status":"success","user":"user-{{user}}","team":"team-{{user % 10}}","app":"app-{{user % 6}}","tags":{"env":"prod"},"endpoint":"{{(n % 3 == 0 ? "phi-4" : "chat")}}"}""";
    }

    /// <summary>Call <paramref name="n"/> of <paramref name="calls"/>, spread evenly over the 30 days from <paramref name="start"/>.</summary>
    public static DateTimeOffset Spread(DateTimeOffset start, long n, long calls) => start.AddSeconds(n * 30L * 86400 / calls);
}
