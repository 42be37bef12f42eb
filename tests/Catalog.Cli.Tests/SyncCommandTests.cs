using Catalog.Cli.Catalogue;
using Catalog.Catalogue.Parsing;
using Catalog.Pricing;

namespace Catalog.Cli.Tests;

public sealed class SyncCommandTests
{
    private static readonly string ModelInfo = File.ReadAllText(Fixtures.ModelInfo);

    [Fact]
    public void Proposes_an_alias_or_a_model_for_each_name_the_catalogue_lacks_without_writing()
    {
        using var proxy = new StubProxy(ModelInfo);
        using var dir = new TempDirectory();
        var file = dir.Copy(Fixtures.PricingYaml);
        var original = File.ReadAllText(file);

        var result = Cli.Run("sync", "litellm", "--url", proxy.Url, "--file", file);

        Assert.True(result.Code == 0, result.Err);
        var rows = result.Out.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Replace(l.Trim(), @"\s{2,}", " | ")).ToList();
        Assert.Contains("gpt-4o | openai/gpt-4o | priced | exact -> openai/gpt-4o", rows);
        Assert.Contains("prod-claude | anthropic/claude-sonnet-4-5-20250929 | add alias | -> anthropic/claude-sonnet-4-5", rows);
        Assert.Contains("team-fast | groq/llama-3.1-8b-instant | add alias | -> groq/llama-3.1-8b-instant", rows);
        Assert.Contains("fast-gpt | openai/gpt-5.9-mini | add model + alias | openai/gpt-5.9-mini: input_mtok 0.75, output_mtok 4.5, cache_read_mtok 0.075", rows);
        Assert.Contains("gpt-5.9-mini | openai/gpt-5.9-mini | add model | openai/gpt-5.9-mini: input_mtok 0.75, output_mtok 4.5, cache_read_mtok 0.075", rows);
        Assert.Contains("research-eu | mistral/magistral-medium-2606 | add model (needs_review) + alias | mistral/magistral-medium-2606: input_mtok 1, output_mtok 1", rows);
        Assert.Contains("embedder | openai/text-embedding-3-small | skipped | mode 'embedding' is not priced per token by the catalogue", rows);
        Assert.Contains("local-llama | ollama/llama3.1 | skipped | provider 'ollama' is not in the catalogue; add the provider, then sync again", rows);
        Assert.Contains("anthropic/* | anthropic/* | skipped | wildcard route; add the names it serves by hand", rows);
        Assert.Contains("warning: data[10] has no 'model_name'; skipped", result.Err);
        Assert.Contains("run again with --write", result.Out);
        Assert.Contains("  - name: prod-claude\n    target: anthropic/claude-sonnet-4-5", result.Out);
        Assert.Equal(original, File.ReadAllText(file));
        Assert.Equal(["GET /model/info"], proxy.Requests);
    }

    [Fact]
    public void Write_adds_them_so_every_served_name_resolves_and_a_second_sync_has_nothing_to_add()
    {
        using var proxy = new StubProxy(ModelInfo);
        using var dir = new TempDirectory();
        var file = dir.Copy(Fixtures.PricingYaml);
        var original = File.ReadAllText(file);

        var result = Cli.Run("sync", "litellm", "--url", proxy.Url, "--file", file, "--write");

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("Added 2 model(s) and 4 alias(es)", result.Out);
        var text = File.ReadAllText(file);
        CatalogueEditorTests.AssertKeepsEveryLine(original, text);
        var engine = RuntimeCatalog.Engine(CatalogParser.Parse(file, text).Catalog!);
        Assert.Equal("anthropic/claude-sonnet-4-5", engine.Resolve("prod-claude").ResolvedModel);
        Assert.Equal("groq/llama-3.1-8b-instant", engine.Resolve("team-fast").ResolvedModel);
        Assert.Equal("openai/gpt-5.9-mini", engine.Resolve("fast-gpt").ResolvedModel);
        Assert.Equal(0.75m, engine.Resolve("gpt-5.9-mini").Prices.InputMtok);
        var review = engine.Resolve("research-eu");
        Assert.Equal("mistral/magistral-medium-2606", review.ResolvedModel);
        Assert.StartsWith("needs_review: ", review.Model!.Notes);
        Assert.Equal(engine.Data.Fallback.InputMtok, review.Prices.InputMtok);
        Assert.Contains("# needs_review: added by catalog sync litellm", text);

        var again = Cli.Run("sync", "litellm", "--url", proxy.Url, "--file", file, "--write");

        Assert.Contains("Nothing to add", again.Out);
        Assert.Equal(text, File.ReadAllText(file));
    }

    [Fact]
    public void A_malformed_entry_is_reported_and_the_others_synced()
    {
        using var proxy = new StubProxy("""
            { "data": [
              "not an entry",
              { "model_name": "odd-prices", "litellm_params": { "model": "openai/gpt-odd" }, "model_info": { "input_cost_per_token": "cheap", "output_cost_per_token": 1e-06 } },
              { "model_name": "no-params" },
              { "model_name": "team-fast", "litellm_params": { "model": "groq/llama-3.1-8b-instant" } }
            ] }
            """);

        var result = Cli.Run("sync", "litellm", "--url", proxy.Url, "--file", Fixtures.PricingYaml);

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("warning: data[0] has no 'model_name'; skipped", result.Err);
        Assert.Contains("warning: model_info of 'odd-prices': 'input_cost_per_token' is \"cheap\", not a number; using the fallback prices", result.Err);
        Assert.Contains("warning: data[2] ('no-params') has no 'litellm_params.model'; skipped", result.Err);
        Assert.Matches(@"odd-prices\s+openai/gpt-odd\s+add model \(needs_review\) \+ alias", result.Out);
        Assert.Matches(@"team-fast\s+groq/llama-3.1-8b-instant\s+add alias", result.Out);
    }

    [Fact]
    public void The_key_is_sent_as_a_bearer_token()
    {
        using var proxy = new StubProxy("""{ "data": [] }""");

        var result = Cli.Run("sync", "litellm", "--url", proxy.Url + "/", "--key", "sk-test-1234", "--file", Fixtures.PricingYaml);

        Assert.Equal(0, result.Code);
        Assert.Equal(["GET /model/info Bearer sk-test-1234"], proxy.Requests);
    }

    [Fact]
    public void An_unreachable_proxy_is_a_clear_error()
    {
        var url = $"http://127.0.0.1:{StubProxy.FreePort()}";

        var result = Cli.Run("sync", "litellm", "--url", url, "--file", Fixtures.PricingYaml, "--timeout", "10");

        Assert.Equal(2, result.Code);
        Assert.Contains($"error: cannot reach the LiteLLM proxy at {url}/model/info", result.Err);
        Assert.Contains("check --url and that the proxy is running", result.Err);
    }

    [Fact]
    public void A_refused_key_says_how_to_give_one()
    {
        using var proxy = new StubProxy("""{"error": {"message": "Authentication Error"}}""", status: 401);

        var result = Cli.Run("sync", "litellm", "--url", proxy.Url, "--file", Fixtures.PricingYaml);

        Assert.Equal(2, result.Code);
        Assert.Contains("answered 401 Unauthorized; pass --key (or set LITELLM_API_KEY)", result.Err);
    }

    [Theory]
    [InlineData("<html>not json</html>", "did not answer with JSON")]
    [InlineData("""{ "models": [] }""", "has no 'data' list")]
    public void An_answer_that_is_not_model_info_is_a_clear_error(string body, string message)
    {
        using var proxy = new StubProxy(body);

        var result = Cli.Run("sync", "litellm", "--url", proxy.Url, "--file", Fixtures.PricingYaml);

        Assert.Equal(2, result.Code);
        Assert.Contains(message, result.Err);
    }

    [Fact]
    public void The_url_is_required_and_must_be_http()
    {
        Assert.Contains("--url is required", Cli.Run("sync", "litellm", "--file", Fixtures.PricingYaml).Err);
        Assert.Contains("--url must be the proxy's http(s) address", Cli.Run("sync", "litellm", "--url", "localhost:4000", "--file", Fixtures.PricingYaml).Err);
    }
}
