using Catalog.Catalogue.Parsing;
using Catalog.Generator.Tests.Support;
using static Catalog.Generator.Tests.Support.GeneratorHarness;

namespace Catalog.Generator.Tests;

/// <summary>
/// One test per mistake: the id, the place in the YAML (as the build prints it, 1-based) and the part of
/// the message that tells the author how to fix it. The catalogues are under Catalogues/Invalid.
/// </summary>
public sealed class DiagnosticTests
{
    [Fact]
    public void Bad_indentation_is_PRICE001_where_the_reader_fails()
    {
        AssertOnlyProblem("price001-bad-indentation.yaml", line: 7, column: 10, "PRICE001",
            "not valid YAML");
    }

    [Fact]
    public void An_unclosed_bracket_is_PRICE001_at_the_bracket_not_an_internal_error()
    {
        AssertOnlyProblem("price001-unclosed-bracket.yaml", line: 10, column: 28, "PRICE001",
            "this '[' is not closed (reading stopped at line 11, column 9)");
    }

    [Fact]
    public void An_alias_to_an_undefined_anchor_is_PRICE001_at_the_alias()
    {
        AssertOnlyProblem("price001-undefined-anchor.yaml", line: 12, column: 17, "PRICE001",
            "'*standard' refers to no anchor '&standard' defined before it");
    }

    [Fact]
    public void A_second_YAML_document_is_PRICE001_instead_of_being_ignored()
    {
        AssertOnlyProblem("price001-second-document.yaml", line: 14, column: 1, "PRICE001",
            "a second document starts here");
    }

    [Fact]
    public void A_misspelt_key_is_PRICE002_with_the_nearest_known_key()
    {
        AssertOnlyProblem("price002-unknown-key.yaml", line: 15, column: 11, "PRICE002",
            "unknown key 'cahce_read_mtok' in 'prices' of model 'acme/acme-large'; did you mean 'cache_read_mtok'?");
    }

    [Fact]
    public void A_misspelt_schema_2_price_key_is_PRICE002_with_the_nearest_known_key()
    {
        AssertOnlyProblem("price002-unknown-schema2-key.yaml", line: 15, column: 11, "PRICE002",
            "unknown key 'input_audo_mtok' in 'prices' of model 'acme/acme-voice'; did you mean 'input_audio_mtok'?");
    }

    [Fact]
    public void A_schema_2_key_in_a_schema_1_file_is_PRICE002_naming_the_key_and_saying_to_set_schema_2()
    {
        AssertOnlyProblem("price002-schema1-with-schema2-key.yaml", line: 15, column: 11, "PRICE002",
            "'input_audio_mtok' in 'prices' of model 'acme/acme-voice' is a schema-2 key", "write 'schema: 2'");
    }

    [Fact]
    public void A_match_regex_that_does_not_parse_is_PRICE004_at_the_build_not_a_crash_at_run_time()
    {
        AssertOnlyProblem("price004-invalid-regex.yaml", line: 10, column: 25, "PRICE004",
            "regex '^acme-v([0-9]+-voice$' in 'match' of model 'acme/acme-voice' is not a valid regular expression");
    }

    [Fact]
    public void Two_models_claiming_the_same_suffix_is_PRICE006_at_the_second()
    {
        AssertOnlyProblem("price006-duplicate-suffix.yaml", line: 14, column: 9, "PRICE006",
            "match suffix '-large-latest' of model 'acme/acme-large-2' is also a suffix of model 'acme/acme-large' (line 9)");
    }

    [Fact]
    public void An_alias_override_that_with_its_targets_prices_prices_cache_reads_and_audio_without_cached_audio_is_PRICE016()
    {
        AssertOnlyProblem("price016-alias-override-missing-join.yaml", line: 14, column: 5, "PRICE016",
            "alias 'our-voice'", "prices both 'cache_read_mtok' and 'input_audio_mtok'", "add 'cache_audio_read_mtok' to the alias's prices");
    }

    [Fact]
    public void Cache_reads_and_audio_priced_without_cached_audio_is_PRICE016_naming_the_missing_key()
    {
        AssertOnlyProblem("price016-missing-join-price.yaml", line: 16, column: 29, "PRICE016",
            "prices both 'cache_read_mtok' and 'input_audio_mtok', whose tokens overlap (cached audio or image tokens are both); add 'cache_audio_read_mtok'");
    }

    [Fact]
    public void A_tier_that_makes_two_prices_overlap_is_PRICE016()
    {
        AssertOnlyProblem("price016-missing-join-price-in-tier.yaml", line: 15, column: 28, "PRICE016",
            "(with a tier's prices) prices both 'cache_read_mtok' and 'input_image_mtok'", "add 'cache_image_read_mtok'");
    }

    [Fact]
    public void A_multiplier_above_10_is_PRICE004_at_the_value()
    {
        AssertOnlyProblem("price004-multiplier-above-10.yaml", line: 9, column: 31, "PRICE004",
            "'multiplier' of 'service_tiers.priority' of provider 'acme' is 50; it must be above 0 and at most 10");
    }

    [Fact]
    public void A_multiplier_of_0_is_PRICE004_at_the_value()
    {
        AssertOnlyProblem("price004-multiplier-zero.yaml", line: 9, column: 25, "PRICE004",
            "'multiplier' of 'regions.eu' of provider 'acme' is 0; it must be above 0 and at most 10");
    }

    [Fact]
    public void A_time_that_is_not_a_time_of_day_is_PRICE004()
    {
        AssertOnlyProblem("price004-bad-time.yaml", line: 14, column: 34, "PRICE004",
            "'to: 24:30' in a time window of model 'acme/acme-large' is not a time of day; write \"HH:mm\" in UTC");
    }

    [Fact]
    public void Overlapping_time_windows_are_PRICE017()
    {
        AssertOnlyProblem("price017-overlapping-windows.yaml", line: 15, column: 13, "PRICE017",
            "(23:00-01:00 UTC) overlaps the window 16:30-00:30");
    }

    [Fact]
    public void A_model_without_source_is_PRICE003_at_the_model()
    {
        AssertOnlyProblem("price003-missing-field.yaml", line: 9, column: 9, "PRICE003",
            "model 'acme/acme-large' has no 'source'; add 'source:' to it");
    }

    [Fact]
    public void A_price_in_words_is_PRICE004_at_the_value()
    {
        AssertOnlyProblem("price004-not-a-number.yaml", line: 13, column: 23, "PRICE004",
            "must be a number of US dollars such as 3 or 0.15, not 'three'");
    }

    [Fact]
    public void A_negative_price_is_PRICE005_and_its_column_points_at_the_minus_sign()
    {
        // Line 14 is "          output_mtok: -15": ten spaces and "output_mtok: " put '-' in column 24.
        AssertOnlyProblem("price005-negative-price.yaml", line: 14, column: 24, "PRICE005",
            "'output_mtok' in 'prices' of model 'acme/acme-large' is -15; prices cannot be negative");
    }

    [Fact]
    public void A_model_listed_twice_is_PRICE006_at_the_second_one()
    {
        AssertOnlyProblem("price006-duplicate-model.yaml", line: 13, column: 9, "PRICE006",
            "duplicate model 'acme-large' in provider 'acme': it is already defined at line 9");
    }

    [Fact]
    public void An_alias_listed_twice_is_PRICE006_at_the_second_one()
    {
        AssertOnlyProblem("price006-duplicate-alias.yaml", line: 16, column: 5, "PRICE006",
            "duplicate alias 'team-default': it is already defined at line 14");
    }

    [Fact]
    public void An_alias_named_like_a_model_is_PRICE006_because_it_would_shadow_it()
    {
        AssertOnlyProblem("price006-alias-shadows-model.yaml", line: 14, column: 5, "PRICE006",
            "alias 'acme-large' has the same name as model 'acme/acme-large' (line 9); an alias may not shadow a model");
    }

    [Fact]
    public void A_dangling_alias_is_PRICE007_at_the_target_with_the_nearest_name()
    {
        AssertOnlyProblem("price007-dangling-alias.yaml", line: 15, column: 13, "PRICE007",
            "alias 'team-default' targets 'acme/acme-lareg', which is not in the catalogue; did you mean 'acme/acme-large'?");
    }

    [Fact]
    public void An_alias_cycle_is_PRICE008_on_every_alias_in_it_with_the_chain_printed()
    {
        var problems = Problems("Invalid/price008-alias-cycle.yaml");
        Assert.Equal(["price008-alias-cycle.yaml(15,13): error PRICE008", "price008-alias-cycle.yaml(17,13): error PRICE008"], problems.Select(p => p.At));
        Assert.Contains("alias cycle: a -> b -> a;", problems[0].Message);
        Assert.Contains("alias cycle: b -> a -> b;", problems[1].Message);
    }

    [Fact]
    public void A_tier_below_the_previous_one_is_PRICE009_at_its_threshold()
    {
        AssertOnlyProblem("price009-tiers-not-increasing.yaml", line: 17, column: 37, "PRICE009",
            "tier 'above_input_tokens: 128000' in 'prices' of model 'acme/acme-large' is not above the previous tier's 200000");
    }

    [Fact]
    public void History_listed_newest_first_is_PRICE010_at_the_later_until()
    {
        AssertOnlyProblem("price010-history-not-increasing.yaml", line: 15, column: 22, "PRICE010",
            "'until: 2026-01-01' in model 'acme/acme-large' is not after the previous entry's 2026-06-01");
    }

    [Fact]
    public void A_lower_case_environment_variable_name_is_PRICE011_with_a_valid_spelling()
    {
        AssertOnlyProblem("price011-invalid-env-name.yaml", line: 8, column: 29, "PRICE011",
            "'hosted-input-cost' is not a valid environment variable name for 'input_per_token'",
            "(e.g. HOSTED_INPUT_COST)");
    }

    [Fact]
    public void A_daily_spend_alert_without_a_threshold_is_PRICE003_at_the_alert()
    {
        AssertOnlyProblem("price003-alert-without-threshold.yaml", line: 10, column: 5, "PRICE003",
            "alert 'daily' of kind 'daily_spend' has no 'threshold_usd'; add 'threshold_usd:'");
    }

    [Fact]
    public void An_unknown_alert_kind_is_PRICE004_with_the_nearest_kind()
    {
        AssertOnlyProblem("price004-alert-unknown-kind.yaml", line: 11, column: 11, "PRICE004",
            "did you mean 'daily_spend'?");
    }

    [Fact]
    public void More_minimum_than_maximum_replicas_is_PRICE012_at_min_replicas()
    {
        AssertOnlyProblem("price012-min-above-max.yaml", line: 19, column: 19, "PRICE012",
            "endpoint 'phi-endpoint' has min_replicas 3 above max_replicas 2");
    }

    [Fact]
    public void Scaling_to_zero_with_a_minimum_replica_is_PRICE012_at_scale_to_zero_after_minutes()
    {
        AssertOnlyProblem("price012-scale-to-zero-with-replicas.yaml", line: 21, column: 34, "PRICE012",
            "endpoint 'phi-endpoint' has scale_to_zero_after_minutes but min_replicas 1; it can only scale to zero with min_replicas: 0");
    }

    [Fact]
    public void An_endpoint_on_an_unlisted_instance_is_PRICE013_with_the_nearest_instance()
    {
        AssertOnlyProblem("price013-unknown-instance.yaml", line: 20, column: 20, "PRICE013",
            "uses instance 'aws/us-east-1/nvidia-l5/x1', which is not in 'instances'; did you mean 'aws/us-east-1/nvidia-l4/x1'?");
    }

    [Fact]
    public void A_per_token_price_in_an_mtok_field_is_PRICE014_at_the_value()
    {
        AssertOnlyProblem("price014-suspicious-unit.yaml", line: 14, column: 24, "PRICE014",
            "'output_mtok: 0.000003' in 'prices' of model 'acme/acme-large' looks like a per-token price",
            "add 'price_confirmed: true'");
    }

    [Fact]
    public void Price_confirmed_silences_PRICE014()
    {
        Assert.Empty(Problems("Invalid/price014-confirmed.yaml"));
    }

    [Fact]
    public void A_build_without_a_catalogue_is_PRICE015()
    {
        var problem = OnlyProblem(new CatalogueFile("/src/notes.txt", "not a catalogue", role: null));
        Assert.Equal("error PRICE015", problem.At);
        Assert.Contains("no pricing catalogue was given to the build", problem.Message);
    }

    [Fact]
    public void A_build_with_two_catalogues_is_PRICE015()
    {
        var small = CatalogueFile.Read(RepoPaths.Catalogue("small.yaml"));
        var problem = OnlyProblem(small, new CatalogueFile("/src/other.yaml", small.Text));
        Assert.Equal("error PRICE015", problem.At);
        Assert.Contains("2 pricing catalogues were given to the build; mark exactly one", problem.Message);
    }

    [Fact]
    public void A_catalogue_that_cannot_be_read_is_PRICE015_naming_the_file()
    {
        var problem = OnlyProblem(new CatalogueFile("/src/missing.yaml", text: null));
        Assert.Equal("missing.yaml(1,1): error PRICE015", problem.At);
        Assert.Contains("the pricing catalogue '/src/missing.yaml' could not be read", problem.Message);
    }

    [Fact]
    public void An_empty_catalogue_is_PRICE003_naming_the_file()
    {
        var problem = OnlyProblem(new CatalogueFile("/src/empty.yaml", ""));
        Assert.Equal("empty.yaml(1,1): error PRICE003", problem.At);
        Assert.Contains("the catalogue is empty or not a mapping", problem.Message);
    }

    private static Reported OnlyProblem(params CatalogueFile[] files) => Assert.Single(Run(files).Diagnostics.Select(Reported.From));

    [Fact]
    public void A_budget_scoped_to_two_things_is_PRICE004_naming_both()
    {
        AssertOnlyProblem("price004-budget-two-scopes.yaml", line: 17, column: 12, "PRICE004",
            "must name exactly one of team, user, app, tag, model, provider, key_id, endpoint", "team and app");
    }

    [Fact]
    public void A_misspelt_budget_period_is_PRICE004_with_did_you_mean()
    {
        AssertOnlyProblem("price004-budget-unknown-period.yaml", line: 15, column: 13, "PRICE004",
            "must be one of monthly, daily", "did you mean 'monthly'?");
    }

    [Fact]
    public void A_tag_budget_without_a_value_is_PRICE004_showing_key_value()
    {
        AssertOnlyProblem("price004-budget-tag-without-value.yaml", line: 17, column: 19, "PRICE004",
            "'key:value'", "'feature:summaries'");
    }

    [Fact]
    public void A_budget_without_an_amount_is_PRICE003()
    {
        AssertOnlyProblem("price003-budget-without-amount.yaml", line: 14, column: 5, "PRICE003",
            "amount_usd");
    }

    [Fact]
    public void The_same_budget_id_twice_is_PRICE006()
    {
        AssertOnlyProblem("price006-duplicate-budget.yaml", line: 18, column: 5, "PRICE006",
            "duplicate budget 'search-monthly'");
    }

    private static void AssertOnlyProblem(string catalogue, int line, int column, string id, params string[] messageParts)
    {
        var problem = Assert.Single(Problems($"Invalid/{catalogue}"));
        Assert.Equal($"{catalogue}({line},{column}): error {id}", problem.At);
        Assert.All(messageParts, part => Assert.Contains(part, problem.Message));
    }

    /// <summary>
    /// No text reaches PRICE999 any more (the YAML reader's own exceptions are PRICE001, see above), so the
    /// parser's last line of defence is exercised by breaking its contract: null text throws inside it.
    /// </summary>
    [Fact]
    public void An_exception_inside_the_parser_is_PRICE999_at_the_file_not_a_crash()
    {
        var result = CatalogParser.Parse("/src/pricing.yaml", text: null!);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("PRICE999", 1, 1), (problem.Id, problem.Location!.Line, problem.Location.Column));
        Assert.Contains("internal error while reading the catalogue: ArgumentNullException", problem.Message);
        Assert.Null(result.Catalog);
    }
}
