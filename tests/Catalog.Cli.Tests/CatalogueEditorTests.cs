using Catalog.Cli.Catalogue;
using Catalog.Catalogue;
using Catalog.Catalogue.Model;
using Catalog.Catalogue.Parsing;

namespace Catalog.Cli.Tests;

public sealed class CatalogueEditorTests
{
    private static readonly PriceBlock Prices = new(2m, 8m, 0.5m, null, null, EquatableArray<TierDoc>.Empty);

    [Theory]
    [InlineData("acme-medium", "prices: { input_mtok: 3, output_mtok: 15 }   # list price", "- id: acme-small")]
    [InlineData("acme-a", "models:", "# the flagship")]
    [InlineData("acme-z", "prices: { input_mtok: 0.5, output_mtok: 1.5 }", null)]
    public void A_model_goes_in_id_order_and_every_original_line_stays(string id, string before, string? after)
    {
        var edited = Edit(Fixtures.Small, e => e.AddModel(Model("acme", id)));

        var lines = edited.Split('\n').Select(l => l.Trim()).ToList();
        var entry = lines.IndexOf("- id: " + id);
        Assert.True(entry > 0, edited);
        Assert.Equal($"# imported from test ({id})", lines[entry - 1]);
        Assert.Equal(before, lines.Take(entry - 1).Last(l => l.Length > 0));
        if (after is not null)
        {
            Assert.Equal(after, lines.Skip(entry + 1).First(l => l.Length > 0 && !l.StartsWith("source:") && !l.StartsWith("checked:") && !l.StartsWith("prices:")));
        }

        AssertKeepsEveryLine(Fixtures.Small, edited);
        AssertParses(edited, "acme/" + id);
    }

    [Fact]
    public void Entries_are_indented_like_their_list()
    {
        var edited = Edit(Fixtures.Small, e => e.AddModel(Model("acme", "acme-medium")));

        Assert.Contains("\n      - id: acme-medium\n        source: https://example.invalid/prices\n        checked: 2026-11-28\n        prices: { input_mtok: 2, output_mtok: 8, cache_read_mtok: 0.5 }\n\n      - id: acme-small", edited);
    }

    [Fact]
    public void An_empty_models_list_gets_its_first_entry_and_keeps_its_comment()
    {
        var edited = Edit(Fixtures.Small, e =>
        {
            e.AddModel(Model("other", "b-model"));
            e.AddModel(Model("other", "a-model"));
        });

        Assert.Contains("    models: # none yet\n      # imported from test (a-model)\n      - id: a-model\n", edited);
        Assert.True(edited.IndexOf("- id: a-model", StringComparison.Ordinal) < edited.IndexOf("- id: b-model", StringComparison.Ordinal));
        AssertParses(edited, "other/a-model", "other/b-model");
    }

    [Fact]
    public void Tiered_prices_are_written_as_a_block()
    {
        var tiered = Prices with { Tiers = new EquatableArray<TierDoc>([new TierDoc(200_000, new PriceBlock(4m, 16m, null, null, null, EquatableArray<TierDoc>.Empty))]) };

        var edited = Edit(Fixtures.Small, e => e.AddModel(Model("acme", "acme-medium") with { Prices = tiered }));

        Assert.Contains("        prices:\n          input_mtok: 2\n          output_mtok: 8\n          cache_read_mtok: 0.5\n          tiers:\n            - above_input_tokens: 200000\n              input_mtok: 4\n              output_mtok: 16\n", edited);
        var model = AssertParses(edited, "acme/acme-medium").Single(m => m.Id == "acme-medium");
        Assert.Equal(tiered, model.Prices);
    }

    [Fact]
    public void Aliases_go_in_name_order()
    {
        var edited = Edit(Fixtures.Small, e =>
        {
            e.AddAlias(new NewAlias("zed", "acme/acme-small", "added by test"));
            e.AddAlias(new NewAlias("assistant", "acme-small", "added by test"));
        });

        var names = edited.Split('\n').Where(l => l.TrimStart().StartsWith("- name:")).Select(l => l.Trim()).ToList();
        Assert.Equal(["- name: assistant", "- name: bot", "- name: zed"], names);
        AssertKeepsEveryLine(Fixtures.Small, edited);
        AssertParses(edited);
    }

    [Fact]
    public void A_catalogue_without_aliases_gets_the_section_after_the_providers()
    {
        var withoutAliases = Fixtures.Small[..Fixtures.Small.IndexOf("aliases:", StringComparison.Ordinal)] + "instances: []\n";

        var edited = Edit(withoutAliases, e => e.AddAlias(new NewAlias("assistant", "acme/acme-small", "added by test")));

        Assert.Contains("    models: []   # none yet\n\naliases:\n  # added by test\n  - name: assistant\n    target: acme/acme-small\ninstances: []\n", edited);
        var result = CatalogParser.Parse("edited.yaml", edited);
        Assert.Empty(result.Problems);
        Assert.Equal("acme/acme-small", Assert.Single(result.Catalog!.Aliases).ResolvedModel);
    }

    [Fact]
    public void Windows_line_endings_are_kept()
    {
        var crlf = Fixtures.Small.Replace("\n", "\r\n");

        var edited = Edit(crlf, e => e.AddModel(Model("acme", "acme-medium")));

        Assert.DoesNotContain("\n", edited.Replace("\r\n", string.Empty));
        AssertParses(edited, "acme/acme-medium");
    }

    [Fact]
    public void An_unusual_price_is_confirmed_so_the_build_accepts_it()
    {
        var tiny = new PriceBlock(0.0005m, 0.002m, null, null, null, EquatableArray<TierDoc>.Empty);

        var edited = Edit(Fixtures.Small, e => e.AddModel(Model("acme", "acme-tiny") with { Prices = tiny }));

        Assert.Contains("price_confirmed: true", edited);
        AssertParses(edited, "acme/acme-tiny");
    }

    [Fact]
    public void An_unknown_provider_is_refused()
    {
        var ex = Assert.Throws<CliException>(() => Edit(Fixtures.Small, e => e.AddModel(Model("nobody", "x"))));

        Assert.Contains("provider 'nobody' is not in the catalogue", ex.Message);
    }

    private static NewModel Model(string provider, string id) =>
        new(provider, id, Prices, "https://example.invalid/prices", Cli.Today, $"imported from test ({id})");

    private static string Edit(string text, Action<CatalogueEditor> edit)
    {
        var editor = new CatalogueEditor(text);
        edit(editor);
        return editor.EditedText();
    }

    /// <summary>The original lines appear in the edited text, in order and unchanged (comments included).</summary>
    internal static void AssertKeepsEveryLine(string original, string edited)
    {
        var remaining = new Queue<string>(original.Split('\n'));
        foreach (var line in edited.Split('\n'))
        {
            if (remaining.Count > 0 && remaining.Peek() == line)
            {
                remaining.Dequeue();
            }
        }

        Assert.True(remaining.Count == 0, $"line lost or changed: '{(remaining.Count > 0 ? remaining.Peek() : null)}'");
    }

    private static IReadOnlyList<ModelDoc> AssertParses(string text, params string[] models)
    {
        var result = CatalogParser.Parse("edited.yaml", text);
        Assert.True(result.Problems.Count == 0, string.Join("\n", result.Problems.Select(p => p.Message)) + "\n" + text);
        var all = result.Catalog!.Providers.SelectMany(p => p.Models).ToList();
        foreach (var model in models)
        {
            Assert.Contains(all, m => m.FullName == model);
        }

        return all;
    }
}
