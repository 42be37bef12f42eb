using System.Text.Json;
using System.Text.Json.Serialization;
using Catalog.Pricing;

namespace Catalog.Api;

public static class CatalogServices
{
    /// <summary>Services shared by every feature: the pricing engine, JSON conventions, ProblemDetails, OpenAPI.</summary>
    public static WebApplicationBuilder AddCatalogServices(this WebApplicationBuilder builder)
    {
        // Fails start-up with a message naming the variable when an environment override is not a price.
        var engine = BuiltInCatalog.CreateEngine(name => builder.Configuration[name]);
        builder.Services.AddSingleton(engine);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.ConfigureHttpJsonOptions(options => Json.Configure(options.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        return builder;
    }

    public static WebApplication UseCatalogErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}

/// <summary>The wire conventions of the LLM ecosystem: snake_case names, exact decimals.</summary>
public static class Json
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new ExactDecimalConverter());
    }
}

/// <summary>Writes decimals as exact JSON numbers without trailing zeros (0.00945, not 0.009450000).</summary>
public sealed class ExactDecimalConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(Trim(value));

    /// <summary>The same value without trailing zeros.</summary>
    public static decimal Trim(decimal value) => value / 1.000000000000000000000000000000000m;
}
