using System.Collections.Generic;
using System.Linq;

namespace Catalog.Catalogue.Parsing
{
    /// <summary>
    /// Every key the parser accepts, by the kind of mapping it appears in. The schema test checks that
    /// pricing.schema.json describes exactly these.
    /// </summary>
    public static class CatalogKeys
    {
        /// <summary>The schema-2 price keys: audio, image and video tokens, reasoning apart from output, web searches.</summary>
        public static readonly string[] UnitPriceFields =
        {
            "input_audio_mtok", "cache_audio_read_mtok", "output_audio_mtok",
            "input_image_mtok", "cache_image_read_mtok", "output_image_mtok",
            "input_video_mtok", "output_video_mtok", "output_reasoning_mtok", "web_searches_kcount",
        };

        /// <summary>Every price key: the five of schema 1, then <see cref="UnitPriceFields"/>.</summary>
        public static readonly string[] PriceFields = new[] { "input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok", "cache_write_1h_mtok" }.Concat(UnitPriceFields).ToArray();

        /// <summary>
        /// Pairs of prices whose tokens can overlap, and the price of their overlap: a block (tiers and
        /// overrides applied) that sets both must set the overlap too.
        /// </summary>
        public static readonly (string First, string Second, string Join)[] Joins =
        {
            ("cache_read_mtok", "input_audio_mtok", "cache_audio_read_mtok"),
            ("cache_read_mtok", "input_image_mtok", "cache_image_read_mtok"),
        };

        /// <summary>Keys a <c>schema: 1</c> file may not use: a file that needs them says <c>schema: 2</c>.</summary>
        public static readonly string[] Schema2Only = UnitPriceFields
            .Concat(new[] { "reasoning_tokens", "service_tiers", "regions", "time_windows", "suffixes", "contains", "regex" })
            .ToArray();

        private static string[] With(params string[] keys) => keys.Concat(UnitPriceFields).ToArray();

        /// <summary>What a budget in the catalogue can count (an API key's budget is made through the API, which knows the keys).</summary>
        public static readonly string[] BudgetScopes = { "team", "user", "app", "tag", "model", "provider", "key_id", "endpoint" };

        public static readonly string[] BudgetPeriods = { "monthly", "daily" };

        /// <summary>Alert kinds and the fields each one needs.</summary>
        public static readonly IReadOnlyDictionary<string, string[]> AlertKinds = new Dictionary<string, string[]>
        {
            ["daily_spend"] = new[] { "threshold_usd" },
            ["unusual_spend"] = new[] { "multiplier" },
            ["expensive_model"] = new[] { "above_mtok" },
            ["fallback_pricing"] = new string[0],
            ["idle_endpoint"] = new string[0],
        };

        public static readonly IReadOnlyDictionary<string, string[]> ByContext = new Dictionary<string, string[]>
        {
            ["catalogue"] = new[] { "schema", "assumptions", "fallback", "providers", "aliases", "instances", "endpoints", "alerts", "budgets" },
            ["assumptions"] = new[] { "typical_input_tokens", "typical_output_tokens" },
            ["fallback"] = new[] { "input_mtok", "output_mtok" },
            ["prices"] = With("input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok", "cache_write_1h_mtok", "tiers"),
            ["tier"] = With("above_input_tokens", "input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok", "cache_write_1h_mtok"),
            ["history"] = With("until", "input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok", "cache_write_1h_mtok", "tiers"),
            ["provider"] = new[] { "id", "name", "cache_tokens", "reasoning_tokens", "service_tiers", "regions", "env", "default_prices", "source", "checked", "price_confirmed", "models" },
            ["env"] = new[] { "input_per_token", "output_per_token" },
            ["modifier"] = new[] { "multiplier", "prices", "source", "checked" },
            ["time_window"] = new[] { "from", "to", "multiplier", "prices", "source", "checked" },
            ["model"] = new[] { "id", "name", "active", "match", "service_tiers", "regions", "time_windows", "source", "checked", "prices", "history", "per_request_usd", "estimate_request_usd", "price_confirmed", "notes" },
            ["match"] = new[] { "prefixes", "names", "suffixes", "contains", "regex" },
            ["alias"] = new[] { "name", "target", "prices", "notes", "price_confirmed" },
            ["instance"] = new[] { "vendor", "region", "type", "size", "accelerator", "hourly_usd", "source", "checked" },
            ["budget"] = new[] { "id", "name", "period", "amount_usd", "scope", "warning_share", "notes" },
            ["budget_scope"] = BudgetScopes,
            ["alert"] = new[] { "id", "kind", "threshold_usd", "team", "multiplier", "min_usd", "above_mtok", "notes" },
            ["endpoint"] = new[] { "id", "model", "vendor", "region", "instance_type", "instance_size", "hourly_usd", "min_replicas", "max_replicas", "scale_to_zero_after_minutes", "notes" },
        };
    }
}
