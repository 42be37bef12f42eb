using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Catalog.Api.Http;
using Catalog.Pricing;
using Microsoft.Extensions.FileProviders;

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
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = FrameworkProblems.ExplainFix);
        builder.Services.AddExceptionHandler<Http.ClientAborts>();
        builder.Services.AddSettings<LimitOptions>("Limits", LimitOptions.Problem);
        builder.Services.AddSettings<Features.Cost.CostOptions>("Cost", _ => null);
        builder.Services.AddSingleton<HeavyRequests>();
        builder.Services.AddOpenApi(OpenApiContract.Configure);
        ServeEmbeddedWebRoot(builder.Environment);
        return builder;
    }

    /// <summary>
    /// The files under wwwroot (the dashboard) from the folder when there is one (a clone, a framework-dependent
    /// publish), else from the copy embedded in the assembly (a single-file binary has no folder beside it).
    /// </summary>
    private static void ServeEmbeddedWebRoot(IWebHostEnvironment environment) =>
        environment.WebRootFileProvider = new CompositeFileProvider(
            environment.WebRootFileProvider,
            new EmbeddedFileProvider(typeof(CatalogServices).Assembly, "Catalog.Api.wwwroot"));

    public static WebApplication UseCatalogErrorHandling(this WebApplication app)
    {
        // A value the framework cannot bind (?page=two) throws in Development: it is the client's 400, not a 500.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = error => error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        return app;
    }
}

/// <summary>
/// Problems the framework writes before a handler runs (no route, wrong method or content type, a
/// query value of the wrong type) come without a detail; every 4xx says what to fix.
/// </summary>
public static class FrameworkProblems
{
    public static void ExplainFix(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        // snake_case like every other name on the wire.
        problem.Extensions.Remove("traceId");
        problem.Extensions["trace_id"] = System.Diagnostics.Activity.Current?.TraceId.ToHexString() ?? context.HttpContext.TraceIdentifier;
        if (!string.IsNullOrEmpty(problem.Detail))
        {
            return;
        }

        var request = context.HttpContext.Request;
        problem.Detail = context.Exception is BadHttpRequestException bad
            ? $"{bad.Message} Check the query string and route values against /openapi/v1.json."
            : problem.Status switch
            {
                StatusCodes.Status400BadRequest => "The request could not be read: a query string or route value has the wrong type. Check it against /openapi/v1.json.",
                StatusCodes.Status404NotFound => $"There is nothing at '{request.Path}'. The API is described at /openapi/v1.json and /scalar.",
                StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on '{request.Path}'. See /openapi/v1.json for the methods it takes.",
                StatusCodes.Status415UnsupportedMediaType => $"The body must be JSON; send it with 'Content-Type: application/json', not '{request.ContentType}'.",
                _ => null,
            };
    }
}

/// <summary>The wire conventions of the LLM ecosystem: snake_case names, exact decimals, times in UTC with Z.</summary>
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
        options.Converters.Add(new UtcTimestampConverter());
        // The contracts' generated metadata first; reflection only for a type it does not list (as before).
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(CatalogJsonContext.Default, options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver());
    }
}

/// <summary>Every time in a response is UTC with a Z (2026-11-20T10:00:00.5Z), whatever offset it was sent or stored with.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}

/// <summary>Writes decimals as exact JSON numbers without trailing zeros (0.00945, not 0.009450000).</summary>
public sealed class ExactDecimalConverter : JsonConverter<decimal>
{
    /// <summary>A sign, 29 digits and a decimal point.</summary>
    private const int MaxDecimalLength = 31;

    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

    /// <summary>The same value without trailing zeros.</summary>
    public static decimal Trim(decimal value) => value / 1.000000000000000000000000000000000m;

    /// <summary>Formats the digits once and drops the trailing zeros of the fraction (dividing to normalise the scale cost more than the rest of a response).</summary>
    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => WriteNumber(writer, value);

    /// <summary>What <see cref="Write"/> writes, for writers that do not go through a serializer.</summary>
    public static void WriteNumber(Utf8JsonWriter writer, decimal value)
    {
        if (value == 0m)
        {
            writer.WriteNumberValue(0);
            return;
        }

        Span<byte> text = stackalloc byte[MaxDecimalLength];
        writer.WriteRawValue(Format(value, text), skipInputValidation: true);
    }

    /// <summary>
    /// <paramref name="value"/> as the invariant culture writes it, without the fraction's trailing zeros (and without
    /// a point left bare), into <paramref name="text"/> (room for <see cref="MaxDecimalLength"/>). A mantissa of up
    /// to 64 bits, every price and nearly every cost, is written digit by digit from the end, its trailing zeros
    /// dropped first; a larger one (or a zero) is formatted as a decimal.
    /// </summary>
    public static ReadOnlySpan<byte> Format(decimal value, Span<byte> text)
    {
        var parts = default(DecimalBits);
        Span<int> bits = parts;
        decimal.GetBits(value, bits);
        if (bits[2] != 0 || (bits[0] | bits[1]) == 0)
        {
            value.TryFormat(text, out var length, default, CultureInfo.InvariantCulture);
            var number = text[..length];
            return number.Contains((byte)'.') ? number.TrimEnd((byte)'0').TrimEnd((byte)'.') : number;
        }

        var mantissa = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xFF;
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }

        // sign, then the whole part (at least a 0), then a point and the fraction when there is one.
        var sign = bits[3] < 0 ? 1 : 0;
        var digits = CountDigits(mantissa);
        var end = sign + (digits > scale ? digits : scale + 1) + (scale > 0 ? 1 : 0);
        var at = end;
        for (var i = 0; i < scale; i++)
        {
            text[--at] = (byte)('0' + (mantissa % 10));
            mantissa /= 10;
        }

        if (scale > 0)
        {
            text[--at] = (byte)'.';
        }

        do
        {
            text[--at] = (byte)('0' + (mantissa % 10));
            mantissa /= 10;
        }
        while (at > sign);

        text[0] = sign == 1 ? (byte)'-' : text[0];
        return text[..end];
    }

    private static int CountDigits(ulong value)
    {
        var digits = 1;
        for (var bound = 10UL; digits < 20 && value >= bound; bound *= 10)
        {
            digits++;
        }

        return digits;
    }

    /// <summary>The four ints of a decimal, on the stack without a <c>stackalloc</c>.</summary>
    [System.Runtime.CompilerServices.InlineArray(4)]
    private struct DecimalBits
    {
        private int _element;
    }
}
