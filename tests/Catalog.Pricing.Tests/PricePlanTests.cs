namespace Catalog.Pricing.Tests;

/// <summary>
/// The charging rule read from a set's plan (<see cref="PricePlan"/>) gives, bit for bit, what the rule written out unit
/// by unit gives; the plan is not part of the set's value and belongs to the set it was made for.
/// </summary>
public sealed class PricePlanTests
{
    private static readonly PriceSet[] Sets =
    [
        new PriceSet(2.5m, 10m, 1.25m, null, null, []) { InputAudioMtok = 40m, CacheAudioReadMtok = 2.5m, OutputAudioMtok = 80m },
        new PriceSet(3m, 15.00m, 0.30m, 3.75m, 6m, [new PriceTier(200_000, 6m, 22.5m, 0.6m, 7.5m, 12m) { InputAudioMtok = 50m }]) { WebSearchesKcount = 10m, InputAudioMtok = 40m },
        new PriceSet(0.15m, 0.6m, null, null, 0.3m, [new PriceTier(100_000, null, 1.2m, null, null, null) { WebSearchesKcount = 35.000m, OutputReasoningMtok = 3m }])
        {
            InputImageMtok = 5m, CacheImageReadMtok = 0.5m, CacheReadMtok = 0.075m, OutputImageMtok = 40m, InputVideoMtok = 1m, OutputVideoMtok = 0m, OutputReasoningMtok = 2.4m,
        },
        new PriceSet(1m, 2m, null, null, null, []) { OutputAudioMtok = 0.000001m, CacheAudioReadMtok = 123456789.123456m },
    ];

    [Fact]
    public void The_planned_rule_gives_the_rule_written_out_bit_for_bit()
    {
        var random = new Random(31);
        foreach (var base_ in Sets)
        {
            foreach (var set in new[] { base_, base_.MultipliedBy(0.5m), base_.MultipliedBy(1.10m) })
            {
                var resolution = new Resolution("m", PricingSource.Exact, null, null, null, set, false, []);
                for (var i = 0; i < 3_000; i++)
                {
                    var usage = RandomUsage(random);

                    var cost = CostCalculator.PriceEveryUnit(resolution, set, usage, 0m);

                    var expected = WrittenOut(set, usage);
                    Same(expected[(int)CostPart.Input], cost.InputUsd);
                    Same(expected[(int)CostPart.CacheRead], cost.CacheReadUsd);
                    Same(expected[(int)CostPart.CacheWrite], cost.CacheWriteUsd);
                    Same(expected[(int)CostPart.Output], cost.OutputUsd);
                    Same(expected[(int)CostPart.Tools], cost.ToolsUsd);
                    Assert.Equal(CostCalculator.TierFor(set, usage.InputTokens)?.AboveInputTokens, cost.Tier);
                }
            }
        }
    }

    [Fact]
    public void The_units_listed_from_the_plan_are_the_units_of_the_rule_written_out_bit_for_bit()
    {
        var random = new Random(41);
        var tiered = new PriceSet(3m, 15.00m, 0.30m, 3.75m, 6m, [new PriceTier(200_000, 6.0m, null, 0.60m, null, 12m), new PriceTier(300_000, null, 30m, null, 9.375m, null) { OutputReasoningMtok = 45m }]);
        foreach (var base_ in Sets.Append(tiered).Append(new PriceSet(0m, 0m, null, null, null, [])))
        {
            foreach (var set in new[] { base_, base_.MultipliedBy(0.5m), base_.MultipliedBy(1.10m) })
            {
                var resolution = new Resolution("m", PricingSource.Exact, null, null, null, set, false, []);
                for (var i = 0; i < 3_000; i++)
                {
                    // Text-only usages half the time (the usual call), every unit the other half.
                    var usage = random.Next(2) == 0 ? RandomUsage(random) : RandomTextUsage(random);
                    var cost = CostCalculator.Price(resolution, set, usage, 1000, 500);

                    var expected = UnitsWrittenOut(set, cost.Usage);
                    var actual = CostCalculator.Units(cost);
                    Assert.Equal(expected.Select(u => (u.Unit, u.Count)), actual.Select(u => (u.Unit, u.Count)));
                    foreach (var (want, got) in expected.Zip(actual))
                    {
                        Same(want.Price, got.Price);
                        Same(want.Usd, got.Usd);
                    }
                }
            }
        }
    }

    [Fact]
    public void A_call_priced_at_the_models_estimate_lists_no_units()
    {
        var set = Sets[1];
        var resolution = new Resolution("m", PricingSource.Exact, new ModelInfo("p", "m", null, true, set, [], 0m, 0.01m, [], [], null, null, null), null, null, set, false, []);
        var cost = CostCalculator.Price(resolution, set, default, 1000, 500);

        Assert.Equal(TokenSource.Estimated, cost.TokenSource);
        Assert.Empty(CostCalculator.Units(cost));
    }

    [Fact]
    public void The_text_rule_from_the_plan_gives_the_decimal_arithmetic_bit_for_bit_with_tiers_and_counts_of_zero()
    {
        var random = new Random(37);
        var tiers = new[] { new PriceTier(200_000, 6.0m, null, 0.60m, null, 12m), new PriceTier(300_000, null, 30m, null, 9.375m, null) };
        foreach (var (read, write, write1h) in new (decimal?, decimal?, decimal?)[] { (null, null, null), (0.30m, 3.75m, null), (null, null, 6m), (0.3m, 3.750m, 6.00m), (0.1m, null, 2m), (0.0000001m, 1234567.891m, 0m) })
        {
            foreach (var set in new[] { new PriceSet(3m, 15.00m, read, write, write1h, []), new PriceSet(3m, 15.00m, read, write, write1h, tiers) })
            {
                var resolution = new Resolution("m", PricingSource.Exact, null, null, null, set, false, []);
                for (var i = 0; i < 2_000; i++)
                {
                    long Some(long most) => random.Next(3) == 0 ? 0 : random.NextInt64(0, most + 1);
                    var input = random.Next(5) == 0 ? 0 : random.NextInt64(0, 400_000);
                    var cacheRead = Some(input);
                    var cacheWrite = Some(input - cacheRead);
                    var cacheWrite1h = Some(cacheWrite);
                    var usage = new TokenUsage(input, Some(50_000), cacheRead, cacheWrite, cacheWrite1h);
                    if (usage.IsEmpty)
                    {
                        continue; // estimated from the typical request instead
                    }

                    var cost = CostCalculator.Price(resolution, set, usage, 1000, 500);

                    var tier = CostCalculator.TierFor(set, input);
                    var (r, w, h) = (tier?.CacheReadMtok ?? read, tier?.CacheWriteMtok ?? write, tier?.CacheWrite1hMtok ?? write1h);
                    var charged1h = h is null ? 0 : cacheWrite1h;
                    var charged = w is null ? 0 : cacheWrite - charged1h;
                    var chargedRead = r is null ? 0 : cacheRead;
                    Same((input - chargedRead - charged - charged1h) * (tier?.InputMtok ?? 3m) / 1_000_000m, cost.InputUsd);
                    Same(usage.OutputTokens * (tier?.OutputMtok ?? 15.00m) / 1_000_000m, cost.OutputUsd);
                    Same(r is { } rp ? chargedRead * rp / 1_000_000m : 0m, cost.CacheReadUsd);
                    Same((w is { } wp ? charged * wp / 1_000_000m : 0m) + (h is { } hp ? charged1h * hp / 1_000_000m : 0m), cost.CacheWriteUsd);
                    Assert.Equal(tier?.AboveInputTokens, cost.Tier);
                }
            }
        }
    }

    [Fact]
    public void A_sum_skips_the_addition_only_where_the_addition_would_give_the_same_bits()
    {
        decimal[] values = [0m, 0.0m, 0.000000m, -0m, new decimal(0, 0, 0, true, 3), 1m, 1.50m, -2.25m, 0.000075m, 79228162514264337593543950335m, 1e-28m, new decimal(0, 0, 0, false, 28)];
        foreach (var a in values)
        {
            foreach (var b in values)
            {
                decimal sum;
                try
                {
                    sum = a + b;
                }
                catch (OverflowException)
                {
                    Assert.Throws<OverflowException>(() => CostCalculator.Sum(a, b));
                    continue;
                }

                Same(sum, CostCalculator.Sum(a, b));
            }
        }
    }

    [Fact]
    public void A_plan_belongs_to_the_set_it_was_made_for_and_is_not_part_of_its_value()
    {
        var set = Sets[1];
        var plan = set.Plan;
        var copy = set with { InputMtok = 4m };
        var same = set with { };

        Assert.Same(plan, set.Plan);
        Assert.NotSame(plan, copy.Plan);
        Assert.Same(copy, copy.Plan.Owner);
        Assert.Equal(4m, copy.Plan.Charges[0].Single(c => c.Unit == UsageUnit.InputTokens).Price);
        Assert.Equal(set, same);
        Assert.Equal(set.GetHashCode(), new PriceSet(3m, 15.00m, 0.30m, 3.75m, 6m, set.Tiers) { WebSearchesKcount = 10m, InputAudioMtok = 40m }.GetHashCode());
        Assert.Equal(set, new PriceSet(3m, 15.00m, 0.30m, 3.75m, 6m, set.Tiers) { WebSearchesKcount = 10m, InputAudioMtok = 40m });
        Assert.Same(set.Plan.MultipliedBy(0.5m), set.Plan.MultipliedBy(0.5m));
        var (made, kept) = (Sets[0].MultipliedBy(0.50m), Sets[0].Plan.MultipliedBy(0.50m));
        Assert.Equal((made.InputMtok, made.OutputMtok, made.CacheReadMtok, made.InputAudioMtok, made.CacheAudioReadMtok, made.OutputAudioMtok), (kept.InputMtok, kept.OutputMtok, kept.CacheReadMtok, kept.InputAudioMtok, kept.CacheAudioReadMtok, kept.OutputAudioMtok));
        Assert.Equal(3m * 0.50m, set.Plan.MultipliedBy(0.50m).InputMtok);
        Assert.Equal(2, set.Plan.MultipliedBy(0.50m).InputMtok.Scale);
        Assert.Equal(1, set.Plan.MultipliedBy(0.5m).InputMtok.Scale);
    }

    /// <summary>The charging rule as the issue states it: most specific unit first, its count less what the units inside it were charged.</summary>
    private static decimal[] WrittenOut(PriceSet set, TokenUsage usage)
    {
        var tier = CostCalculator.TierFor(set, usage.InputTokens);
        var charged = new long[UsageUnits.Count];
        var parts = new decimal[UsageUnits.PartCount];
        foreach (var unit in UsageUnits.SpecificFirst)
        {
            if (CostCalculator.PriceOf(set, tier, unit) is not { } price)
            {
                continue;
            }

            var count = usage[unit] - UsageUnits.Contained(unit).Sum(inside => charged[(int)inside]);
            charged[(int)unit] = count;
            if (count != 0)
            {
                parts[(int)UsageUnits.Part(unit)] += UsageUnits.PerThousand(unit) ? count * price / 1000m : count * price / 1_000_000m;
            }
        }

        return parts;
    }

    /// <summary>The units the charging rule lists as the issue states it (old per-unit form): priced units most specific first, in unit order, charged nothing left out.</summary>
    private static List<ChargedUnit> UnitsWrittenOut(PriceSet set, TokenUsage usage)
    {
        var tier = CostCalculator.TierFor(set, usage.InputTokens);
        var charged = new long[UsageUnits.Count];
        var prices = new decimal[UsageUnits.Count];
        foreach (var unit in UsageUnits.SpecificFirst)
        {
            if (CostCalculator.PriceOf(set, tier, unit) is not { } price)
            {
                continue;
            }

            charged[(int)unit] = usage[unit] - UsageUnits.Contained(unit).Sum(inside => charged[(int)inside]);
            prices[(int)unit] = price;
        }

        return [.. UsageUnits.All.Where(unit => charged[(int)unit] != 0).Select(unit =>
        {
            var (count, price) = (charged[(int)unit], prices[(int)unit]);
            return new ChargedUnit(unit, count, price, UsageUnits.PerThousand(unit) ? count * price / 1000m : count * price / 1_000_000m);
        })];
    }

    private static TokenUsage RandomTextUsage(Random random)
    {
        long Some(long most) => random.Next(3) == 0 ? 0 : random.NextInt64(0, most + 1);
        var input = random.Next(5) == 0 ? 0 : random.NextInt64(0, 400_000);
        var read = Some(input);
        var write = Some(input - read);
        return new TokenUsage(input, Some(50_000), read, write, Some(write));
    }

    /// <summary>Counts that fit in their containers, any unit possibly zero.</summary>
    private static TokenUsage RandomUsage(Random random)
    {
        long Some(long most) => random.Next(4) == 0 ? 0 : random.NextInt64(0, most + 1);
        var input = random.Next(3) == 0 ? 0 : random.NextInt64(0, 400_000);
        var read = Some(input);
        var audio = Some(input - read);
        var cachedAudio = Some(Math.Min(read, audio));
        var image = Some(input - read - audio);
        var cachedImage = Some(Math.Min(read - cachedAudio, image));
        var video = Some(input - read - audio - image);
        var write = Some(input - read - audio - image - video);
        var write1h = Some(write);
        var output = Some(60_000);
        var outAudio = Some(output);
        var outImage = Some(output - outAudio);
        var outVideo = Some(output - outAudio - outImage);
        var reasoning = Some(output - outAudio - outImage - outVideo);
        return new TokenUsage(input, output, read, write, write1h)
        {
            InputAudioTokens = audio,
            CacheAudioReadTokens = cachedAudio,
            InputImageTokens = image,
            CacheImageReadTokens = cachedImage,
            InputVideoTokens = video,
            OutputAudioTokens = outAudio,
            OutputImageTokens = outImage,
            OutputVideoTokens = outVideo,
            OutputReasoningTokens = reasoning,
            WebSearches = Some(20),
        };
    }

    private static void Same(decimal expected, decimal actual) =>
        Assert.True(decimal.GetBits(expected).AsSpan().SequenceEqual(decimal.GetBits(actual)), $"expected {expected} ({string.Join(',', decimal.GetBits(expected))}), got {actual} ({string.Join(',', decimal.GetBits(actual))})");
}
