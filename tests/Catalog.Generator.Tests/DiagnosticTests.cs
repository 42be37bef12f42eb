using Catalog.Generator.Parsing;
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
        var problem = Assert.Single(Problems("Invalid/price001-bad-indentation.yaml"));
        Assert.Equal("price001-bad-indentation.yaml(7,10): error PRICE001", problem.At);
        Assert.Contains("not valid YAML", problem.Message);
    }

    [Fact]
    public void An_unclosed_bracket_is_PRICE001_at_the_bracket_not_an_internal_error()
    {
        var problem = Assert.Single(Problems("Invalid/price001-unclosed-bracket.yaml"));
        Assert.Equal("price001-unclosed-bracket.yaml(10,28): error PRICE001", problem.At);
        Assert.Contains("this '[' is not closed (reading stopped at line 11, column 9)", problem.Message);
    }

    [Fact]
    public void An_alias_to_an_undefined_anchor_is_PRICE001_at_the_alias()
    {
        var problem = Assert.Single(Problems("Invalid/price001-undefined-anchor.yaml"));
        Assert.Equal("price001-undefined-anchor.yaml(12,17): error PRICE001", problem.At);
        Assert.Contains("'*standard' refers to no anchor '&standard' defined before it", problem.Message);
    }

    [Fact]
    public void A_second_YAML_document_is_PRICE001_instead_of_being_ignored()
    {
        var problem = Assert.Single(Problems("Invalid/price001-second-document.yaml"));
        Assert.Equal("price001-second-document.yaml(14,1): error PRICE001", problem.At);
        Assert.Contains("a second document starts here", problem.Message);
    }

    [Fact]
    public void A_misspelt_key_is_PRICE002_with_the_nearest_known_key()
    {
        var problem = Assert.Single(Problems("Invalid/price002-unknown-key.yaml"));
        Assert.Equal("price002-unknown-key.yaml(15,11): error PRICE002", problem.At);
        Assert.Contains("unknown key 'cahce_read_mtok' in 'prices' of model 'acme/acme-large'; did you mean 'cache_read_mtok'?", problem.Message);
    }

    [Fact]
    public void A_model_without_source_is_PRICE003_at_the_model()
    {
        var problem = Assert.Single(Problems("Invalid/price003-missing-field.yaml"));
        Assert.Equal("price003-missing-field.yaml(9,9): error PRICE003", problem.At);
        Assert.Contains("model 'acme/acme-large' has no 'source'; add 'source:' to it", problem.Message);
    }

    [Fact]
    public void A_price_in_words_is_PRICE004_at_the_value()
    {
        var problem = Assert.Single(Problems("Invalid/price004-not-a-number.yaml"));
        Assert.Equal("price004-not-a-number.yaml(13,23): error PRICE004", problem.At);
        Assert.Contains("must be a number of US dollars such as 3 or 0.15, not 'three'", problem.Message);
    }

    [Fact]
    public void A_negative_price_is_PRICE005_and_its_column_points_at_the_minus_sign()
    {
        // Line 14 is "          output_mtok: -15": ten spaces and "output_mtok: " put '-' in column 24.
        var problem = Assert.Single(Problems("Invalid/price005-negative-price.yaml"));
        Assert.Equal("price005-negative-price.yaml(14,24): error PRICE005", problem.At);
        Assert.Contains("'output_mtok' in 'prices' of model 'acme/acme-large' is -15; prices cannot be negative", problem.Message);
    }

    [Fact]
    public void A_model_listed_twice_is_PRICE006_at_the_second_one()
    {
        var problem = Assert.Single(Problems("Invalid/price006-duplicate-model.yaml"));
        Assert.Equal("price006-duplicate-model.yaml(13,9): error PRICE006", problem.At);
        Assert.Contains("duplicate model 'acme-large' in provider 'acme': it is already defined at line 9", problem.Message);
    }

    [Fact]
    public void An_alias_listed_twice_is_PRICE006_at_the_second_one()
    {
        var problem = Assert.Single(Problems("Invalid/price006-duplicate-alias.yaml"));
        Assert.Equal("price006-duplicate-alias.yaml(16,5): error PRICE006", problem.At);
        Assert.Contains("duplicate alias 'team-default': it is already defined at line 14", problem.Message);
    }

    [Fact]
    public void An_alias_named_like_a_model_is_PRICE006_because_it_would_shadow_it()
    {
        var problem = Assert.Single(Problems("Invalid/price006-alias-shadows-model.yaml"));
        Assert.Equal("price006-alias-shadows-model.yaml(14,5): error PRICE006", problem.At);
        Assert.Contains("alias 'acme-large' has the same name as model 'acme/acme-large' (line 9); an alias may not shadow a model", problem.Message);
    }

    [Fact]
    public void A_dangling_alias_is_PRICE007_at_the_target_with_the_nearest_name()
    {
        var problem = Assert.Single(Problems("Invalid/price007-dangling-alias.yaml"));
        Assert.Equal("price007-dangling-alias.yaml(15,13): error PRICE007", problem.At);
        Assert.Contains("alias 'team-default' targets 'acme/acme-lareg', which is not in the catalogue; did you mean 'acme/acme-large'?", problem.Message);
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
        var problem = Assert.Single(Problems("Invalid/price009-tiers-not-increasing.yaml"));
        Assert.Equal("price009-tiers-not-increasing.yaml(17,37): error PRICE009", problem.At);
        Assert.Contains("tier 'above_input_tokens: 128000' in 'prices' of model 'acme/acme-large' is not above the previous tier's 200000", problem.Message);
    }

    [Fact]
    public void History_listed_newest_first_is_PRICE010_at_the_later_until()
    {
        var problem = Assert.Single(Problems("Invalid/price010-history-not-increasing.yaml"));
        Assert.Equal("price010-history-not-increasing.yaml(15,22): error PRICE010", problem.At);
        Assert.Contains("'until: 2026-01-01' in model 'acme/acme-large' is not after the previous entry's 2026-06-01", problem.Message);
    }

    [Fact]
    public void A_lower_case_environment_variable_name_is_PRICE011_with_a_valid_spelling()
    {
        var problem = Assert.Single(Problems("Invalid/price011-invalid-env-name.yaml"));
        Assert.Equal("price011-invalid-env-name.yaml(8,29): error PRICE011", problem.At);
        Assert.Contains("'hosted-input-cost' is not a valid environment variable name for 'input_per_token'", problem.Message);
        Assert.Contains("(e.g. HOSTED_INPUT_COST)", problem.Message);
    }

    [Fact]
    public void More_minimum_than_maximum_replicas_is_PRICE012_at_min_replicas()
    {
        var problem = Assert.Single(Problems("Invalid/price012-min-above-max.yaml"));
        Assert.Equal("price012-min-above-max.yaml(19,19): error PRICE012", problem.At);
        Assert.Contains("endpoint 'phi-endpoint' has min_replicas 3 above max_replicas 2", problem.Message);
    }

    [Fact]
    public void Scaling_to_zero_with_a_minimum_replica_is_PRICE012_at_scale_to_zero_after_minutes()
    {
        var problem = Assert.Single(Problems("Invalid/price012-scale-to-zero-with-replicas.yaml"));
        Assert.Equal("price012-scale-to-zero-with-replicas.yaml(21,34): error PRICE012", problem.At);
        Assert.Contains("endpoint 'phi-endpoint' has scale_to_zero_after_minutes but min_replicas 1; it can only scale to zero with min_replicas: 0", problem.Message);
    }

    [Fact]
    public void An_endpoint_on_an_unlisted_instance_is_PRICE013_with_the_nearest_instance()
    {
        var problem = Assert.Single(Problems("Invalid/price013-unknown-instance.yaml"));
        Assert.Equal("price013-unknown-instance.yaml(20,20): error PRICE013", problem.At);
        Assert.Contains("uses instance 'aws/us-east-1/nvidia-l5/x1', which is not in 'instances'; did you mean 'aws/us-east-1/nvidia-l4/x1'?", problem.Message);
    }

    [Fact]
    public void A_per_token_price_in_an_mtok_field_is_PRICE014_at_the_value()
    {
        var problem = Assert.Single(Problems("Invalid/price014-suspicious-unit.yaml"));
        Assert.Equal("price014-suspicious-unit.yaml(14,24): error PRICE014", problem.At);
        Assert.Contains("'output_mtok: 0.000003' in 'prices' of model 'acme/acme-large' looks like a per-token price", problem.Message);
        Assert.Contains("add 'price_confirmed: true'", problem.Message);
    }

    [Fact]
    public void Price_confirmed_silences_PRICE014()
    {
        Assert.Empty(Problems("Invalid/price014-confirmed.yaml"));
    }

    [Fact]
    public void A_build_without_a_catalogue_is_PRICE015()
    {
        var problem = Assert.Single(Run(new CatalogueFile("/src/notes.txt", "not a catalogue", role: null)).Diagnostics.Select(Reported.From));
        Assert.Equal("error PRICE015", problem.At);
        Assert.Contains("no pricing catalogue was given to the build", problem.Message);
    }

    [Fact]
    public void A_build_with_two_catalogues_is_PRICE015()
    {
        var small = CatalogueFile.Read(RepoPaths.Catalogue("small.yaml"));
        var problem = Assert.Single(Run(small, new CatalogueFile("/src/other.yaml", small.Text)).Diagnostics.Select(Reported.From));
        Assert.Equal("error PRICE015", problem.At);
        Assert.Contains("2 pricing catalogues were given to the build; mark exactly one", problem.Message);
    }

    [Fact]
    public void A_catalogue_that_cannot_be_read_is_PRICE015_naming_the_file()
    {
        var problem = Assert.Single(Run(new CatalogueFile("/src/missing.yaml", text: null)).Diagnostics.Select(Reported.From));
        Assert.Equal("missing.yaml(1,1): error PRICE015", problem.At);
        Assert.Contains("the pricing catalogue '/src/missing.yaml' could not be read", problem.Message);
    }

    [Fact]
    public void An_empty_catalogue_is_PRICE003_naming_the_file()
    {
        var problem = Assert.Single(Run(new CatalogueFile("/src/empty.yaml", "")).Diagnostics.Select(Reported.From));
        Assert.Equal("empty.yaml(1,1): error PRICE003", problem.At);
        Assert.Contains("the catalogue is empty or not a mapping", problem.Message);
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
