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
