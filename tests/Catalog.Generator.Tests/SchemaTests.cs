using System.Text.Json.Nodes;
using Catalog.Catalogue.Parsing;
using Catalog.Generator.Tests.Support;
using Json.Schema;

namespace Catalog.Generator.Tests;

/// <summary>pricing.schema.json (for editors) and the parser (for the build) agree on the format.</summary>
public sealed class SchemaTests
{
    /// <summary>Where each mapping the parser reads is described in the schema.</summary>
    private static readonly Dictionary<string, string> SchemaPointerByContext = new()
    {
        ["catalogue"] = "",
        ["assumptions"] = "/properties/assumptions",
        ["fallback"] = "/properties/fallback",
        ["prices"] = "/$defs/priceBlock",
        ["tier"] = "/$defs/tier",
        ["history"] = "/$defs/historyEntry",
        ["provider"] = "/$defs/provider",
        ["env"] = "/$defs/provider/properties/env",
        ["model"] = "/$defs/model",
        ["match"] = "/$defs/match",
        ["modifier"] = "/$defs/modifier",
        ["time_window"] = "/$defs/timeWindow",
        ["alias"] = "/$defs/alias",
        ["instance"] = "/$defs/instance",
        ["endpoint"] = "/$defs/endpoint",
        ["alert"] = "/$defs/alert",
        ["budget"] = "/$defs/budget",
        ["budget_scope"] = "/$defs/budgetScope",
    };

    private static readonly JsonObject SchemaDocument = (JsonObject)JsonNode.Parse(File.ReadAllText(RepoPaths.PricingSchema))!;

    [Fact]
    public void Every_parser_context_has_a_place_in_the_schema()
    {
        Assert.Equal(CatalogKeys.ByContext.Keys.Order(), SchemaPointerByContext.Keys.Order());
    }

    [Fact]
    public void The_schema_describes_exactly_the_keys_the_parser_accepts_and_no_others()
    {
        Assert.All(CatalogKeys.ByContext, context =>
        {
            var definition = (JsonObject)Resolve(SchemaPointerByContext[context.Key]);
            var described = ((JsonObject)definition["properties"]!).Select(property => property.Key);
            Assert.Equal(context.Value.Order(), described.Order());
            Assert.False(definition["additionalProperties"]!.GetValue<bool>(), $"{context.Key} must reject unknown keys, as the parser does");
        });
    }

    [Fact]
    public void Every_closed_object_in_the_schema_is_one_the_parser_reads()
    {
        var closedObjects = Walk(SchemaDocument, "")
            .Where(node => node.Value is JsonObject o && o.ContainsKey("properties") && o["additionalProperties"]?.GetValue<bool>() == false)
            .Select(node => node.Pointer);
        Assert.Equal(SchemaPointerByContext.Values.Order(), closedObjects.Order());
    }

    [Fact]
    public void The_repository_catalogue_validates_against_the_schema()
    {
        AssertValid(RepoPaths.PricingYaml);
    }

    [Fact]
    public void The_small_test_catalogue_validates_against_the_schema()
    {
        AssertValid(RepoPaths.Catalogue("small.yaml"));
    }

    [Fact]
    public void The_schema_rejects_a_misspelt_key_as_the_build_does()
    {
        var result = Evaluate(RepoPaths.Catalogue("Invalid/price002-unknown-key.yaml"));
        Assert.False(result.IsValid);
    }

    private static void AssertValid(string catalogue)
    {
        var result = Evaluate(catalogue);
        var errors = Flatten(result).Where(r => r.HasErrors).SelectMany(r => r.Errors!.Select(e => $"{r.InstanceLocation}: {e.Key}: {e.Value}"));
        Assert.True(result.IsValid, string.Join(Environment.NewLine, errors));
    }

    private static EvaluationResults Evaluate(string catalogue) =>
        JsonSchema.FromText(SchemaDocument.ToJsonString())
            .Evaluate(YamlJson.Load(catalogue), new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static IEnumerable<EvaluationResults> Flatten(EvaluationResults result) =>
        new[] { result }.Concat(result.HasDetails ? result.Details.SelectMany(Flatten) : []);

    private static JsonNode Resolve(string pointer) =>
        pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate((JsonNode)SchemaDocument, (node, segment) => node[segment]!);

    private static IEnumerable<(string Pointer, JsonNode Value)> Walk(JsonNode node, string pointer)
    {
        yield return (pointer, node);
        var children = node switch
        {
            JsonObject o => o.Select(p => (Key: p.Key, Value: p.Value)),
            JsonArray a => a.Select((v, i) => (Key: i.ToString(System.Globalization.CultureInfo.InvariantCulture), Value: v)),
            _ => [],
        };
        foreach (var (key, value) in children.Where(c => c.Value != null))
        {
            foreach (var descendant in Walk(value!, $"{pointer}/{key}"))
            {
                yield return descendant;
            }
        }
    }
}
