using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Catalog.Pricing.Export;

/// <summary>
/// The price list as CSV: every model and then every alias, with every price in USD per million tokens (the
/// prices in force now; tiers as JSON), the per-request price, and where each price came from and when it was checked.
/// An alias carries its own prices when it overrides them, else its model's; its source and checked date are its model's.
/// </summary>
public static class PriceListCsv
{
    public const string Header =
        "kind,name,provider,id,display_name,active,resolves_to,input_mtok,output_mtok,cache_read_mtok,cache_write_mtok,cache_write_1h_mtok," +
        "tiers,per_request_usd,prices_from,source,checked,notes,catalog_version";

    public static string Write(PricingEngine engine)
    {
        var csv = new StringBuilder(64 * 1024).Append(Header).Append("\r\n");
        foreach (var model in engine.Data.Models)
        {
            Row(csv, "model", model.FullName, model, model.Name, model.Active, null, engine.PricesOf(model), model.Prices is null ? "provider default" : "model", model.Notes, engine.Version);
        }

        foreach (var alias in engine.Data.Aliases)
        {
            var target = engine.Data.ModelsByName.GetValueOrDefault(alias.ResolvedModel);
            var prices = alias.Prices ?? (target is null ? null : engine.PricesOf(target));
            Row(csv, "alias", alias.Name, target, null, target?.Active ?? true, alias.ResolvedModel, prices, alias.Prices is null ? "target" : "alias", alias.Notes, engine.Version);
        }

        return csv.ToString();
    }

    /// <summary>The tiers as a JSON array, with the catalogue's field names.</summary>
    private static string Tiers(PriceTier[] tiers) => JsonSerializer.Serialize(tiers.Select(t => new Dictionary<string, object?>
    {
        ["above_input_tokens"] = t.AboveInputTokens,
        ["input_mtok"] = t.InputMtok,
        ["output_mtok"] = t.OutputMtok,
        ["cache_read_mtok"] = t.CacheReadMtok,
        ["cache_write_mtok"] = t.CacheWriteMtok,
        ["cache_write_1h_mtok"] = t.CacheWrite1hMtok,
    }));

    private static void Row(StringBuilder csv, string kind, string name, ModelInfo? model, string? displayName, bool active, string? resolvesTo, PriceSet? prices, string pricesFrom, string? notes, string version)
    {
        CsvCells.Text(csv, kind);
        CsvCells.Text(csv, name);
        CsvCells.Text(csv, model?.Provider);
        CsvCells.Text(csv, kind == "model" ? model?.Id : null);
        CsvCells.Text(csv, displayName);
        CsvCells.Text(csv, active ? "true" : "false");
        CsvCells.Text(csv, resolvesTo);
        CsvCells.Decimal(csv, prices?.InputMtok);
        CsvCells.Decimal(csv, prices?.OutputMtok);
        CsvCells.Decimal(csv, prices?.CacheReadMtok);
        CsvCells.Decimal(csv, prices?.CacheWriteMtok);
        CsvCells.Decimal(csv, prices?.CacheWrite1hMtok);
        CsvCells.Text(csv, prices is { Tiers.Length: > 0 } ? Tiers(prices.Tiers) : null);
        CsvCells.Decimal(csv, model?.PerRequestUsd);
        CsvCells.Text(csv, pricesFrom);
        CsvCells.Text(csv, model?.Source);
        CsvCells.Text(csv, model?.Checked?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        CsvCells.Text(csv, notes);
        CsvCells.Text(csv, version);
        CsvCells.EndRow(csv);
    }
}
